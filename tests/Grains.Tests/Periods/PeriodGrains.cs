using BudgetActors.Grains.Tests.Infrastructure;
using NodaTime;

namespace BudgetActors.Grains.Tests.Periods;

/// <summary>What the period tests share: custom and rolling definitions, usage at a given time, the EU's autumn change.</summary>
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

    /// <summary>Usage that happened at <paramref name="at"/> (the request's timestamp).</summary>
    public static Task<UsageResult> RecordAt(this TestTenant tenant, ClusterFixture fixture, decimal cost, DateTimeOffset at) =>
        fixture.Admission.RecordUsage(tenant.Id, new UsageRequest(Guid.NewGuid().ToString("N"), TestTenant.Attributes(),
            new ExplicitAmount(TestTenant.Cost(cost)), at));
}
