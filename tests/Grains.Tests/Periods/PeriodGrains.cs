using BudgetActors.Grains.Tests.Infrastructure;
using NodaTime;

namespace BudgetActors.Grains.Tests.Periods;

/// <summary>What the period tests share: custom and rolling definitions, the EU's autumn change.</summary>
internal static class PeriodGrains
{
    public const string Paris = "Europe/Paris";
    public const string RolloverReminder = "period-rollover";

    /// <summary>The EU goes back to standard time on the last Sunday of October.</summary>
    public static LocalDate EuropeanFallBack(int year) =>
        new LocalDate(year, 10, 31).With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Sunday));

    public static PeriodSpec Custom(DateTimeOffset start, int lengthMinutes, string zone = Paris) =>
        new(PeriodType.Custom, zone, start, lengthMinutes);

    public static PeriodSpec Rolling(int windowMinutes) => new(PeriodType.Rolling, "UTC", WindowMinutes: windowMinutes);

}
