namespace BudgetActors.Domain.Reports;

/// <summary>One daily aggregate row: a tenant's (or one of its budget's) spend of one dimension value on one day of the tenant's zone.</summary>
/// <param name="BudgetId"><see cref="SpendDimension.WholeTenant"/> for the whole tenant.</param>
/// <param name="Value">"" for the total, and for charges without the dimension's attribute.</param>
public readonly record struct AggregateKey(string TenantId, string BudgetId, string Dimension, string Value, DateOnly Day);
