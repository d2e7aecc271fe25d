namespace BudgetActors.Domain.Forecasting;

/// <summary>From the models' doubles back to decimal amounts.</summary>
internal static class Amounts
{
    public const int Scale = 6;

    /// <summary>The most a forecast day may be: far past any real spend, and its sums stay well inside decimal.</summary>
    public const double Ceiling = 1e20;

    /// <summary>Rounded half to even at 6 places; negative and not-a-number count as 0, and past <see cref="Ceiling"/> as it.</summary>
    public static decimal Round(double value) =>
        double.IsNaN(value) || value <= 0 ? 0m
        : value >= Ceiling ? (decimal)Ceiling
        : Math.Round((decimal)value, Scale, MidpointRounding.ToEven);

    public static decimal Round(decimal value) => Math.Round(value, Scale, MidpointRounding.ToEven);
}
