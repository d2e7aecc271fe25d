namespace BudgetActors.Domain.Reports;

/// <summary>
/// Splits a rounded total into parts rounded to micro-units that add up to it exactly: each exact
/// part is rounded down, and the micro-units still missing go one each to the parts that lost most
/// by it (largest remainder). A charge is its exact parts' sum rounded once, which lies between the
/// sum of the parts rounded down and the sum rounded up, so the parts always make the total.
/// </summary>
public static class CostAllocation
{
    private const decimal Micro = 0.000001m;

    /// <returns>Parts in the order given; a total that the parts cannot make (none given, or past their range) leaves the difference to the caller's residue.</returns>
    public static decimal[] Allocate(IReadOnlyList<decimal> exactParts, decimal total)
    {
        var parts = new decimal[exactParts.Count];
        var remainders = new decimal[exactParts.Count];
        var sum = 0m;
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = Math.Floor(exactParts[i] / Micro) * Micro;
            remainders[i] = exactParts[i] - parts[i];
            sum += parts[i];
        }

        var missing = (long)Math.Round((total - sum) / Micro);
        if (missing <= 0 || missing > parts.Length)
        {
            return parts;
        }

        // Ties go to the earlier part, so the same charge always splits the same way.
        foreach (var index in Enumerable.Range(0, parts.Length).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take((int)missing))
        {
            parts[index] += Micro;
        }

        return parts;
    }
}
