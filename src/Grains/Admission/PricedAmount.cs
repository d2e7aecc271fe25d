using BudgetActors.Domain.Reports;

namespace BudgetActors.Grains.Admission;

/// <summary>A priced amount, and how it was priced (for usage and commits, kept with the ledger entry; null for a stated amount or an estimate).</summary>
public readonly record struct PricedAmount(Amount Amount, SpendDetail? Detail = null);
