using BudgetActors.Domain.Reports;

namespace BudgetActors.Grains.Admission;

/// <summary>
/// A priced amount, the exchange rate its cost was converted at from catalog USD prices (null: none
/// was), and how it was priced (for usage and commits, kept with the ledger entry; null for a stated
/// amount or an estimate).
/// </summary>
public readonly record struct PricedAmount(Amount Amount, ExchangeRate? Rate = null, SpendDetail? Detail = null)
{
    /// <summary>The amount and its rate, for callers that need no detail (checks and reservations).</summary>
    public void Deconstruct(out Amount amount, out ExchangeRate? rate) => (amount, rate) = (Amount, Rate);
}
