using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace BudgetActors.Domain.Tests.Forecasting;

/// <summary>
/// Sixty days of a team's LLM spend (cost per local day in Europe/Paris, from Monday 2026-10-05),
/// shaped like the real thing: busy weekdays with quieter Fridays, weekends at about a quarter,
/// ±9 % noise, a holiday Monday (10-26) at almost nothing, slow organic growth, and a step of about
/// +35 % from Thursday 2026-11-12 when a second team came on board. The DST change of 10-25 is inside.
/// </summary>
internal static class RecordedSeries
{
    public const string Csv = """
        date,cost
        2026-10-05,41.47
        2026-10-06,45.21
        2026-10-07,44.89
        2026-10-08,46.24
        2026-10-09,37.86
        2026-10-10,11.18
        2026-10-11,10.94
        2026-10-12,45.64
        2026-10-13,46.76
        2026-10-14,39.08
        2026-10-15,36.34
        2026-10-16,33.41
        2026-10-17,11.28
        2026-10-18,11.43
        2026-10-19,45.52
        2026-10-20,46.47
        2026-10-21,42.50
        2026-10-22,46.44
        2026-10-23,40.66
        2026-10-24,12.85
        2026-10-25,12.02
        2026-10-26,3.40
        2026-10-27,43.02
        2026-10-28,55.62
        2026-10-29,42.93
        2026-10-30,33.77
        2026-10-31,11.69
        2026-11-01,10.85
        2026-11-02,44.42
        2026-11-03,41.98
        2026-11-04,42.39
        2026-11-05,44.97
        2026-11-06,39.00
        2026-11-07,10.82
        2026-11-08,11.76
        2026-11-09,46.41
        2026-11-10,40.59
        2026-11-11,41.42
        2026-11-12,59.32
        2026-11-13,53.06
        2026-11-14,13.84
        2026-11-15,13.52
        2026-11-16,64.39
        2026-11-17,59.61
        2026-11-18,62.00
        2026-11-19,52.38
        2026-11-20,56.00
        2026-11-21,16.05
        2026-11-22,18.86
        2026-11-23,62.41
        2026-11-24,66.85
        2026-11-25,60.81
        2026-11-26,50.68
        2026-11-27,48.10
        2026-11-28,16.32
        2026-11-29,17.73
        2026-11-30,72.56
        2026-12-01,64.30
        2026-12-02,62.35
        2026-12-03,63.17
        """;

    public static IReadOnlyList<(LocalDate Date, decimal Cost)> Days { get; } = Csv
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Skip(1)
        .Select(line => line.Split(','))
        .Select(f => (LocalDatePattern.Iso.Parse(f[0]).GetValueOrThrow(), decimal.Parse(f[1], CultureInfo.InvariantCulture)))
        .ToList();
}
