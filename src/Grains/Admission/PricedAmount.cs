namespace BudgetActors.Grains.Admission;

/// <summary>A priced amount, and the exchange rate its cost was converted at from catalog USD prices (null: none was).</summary>
public readonly record struct PricedAmount(Amount Amount, ExchangeRate? Rate = null);
