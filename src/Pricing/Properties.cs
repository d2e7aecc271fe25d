using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("BudgetActors.Pricing.Tests")]
