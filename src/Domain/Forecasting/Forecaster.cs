using System.Collections.Immutable;
using NodaTime;

namespace BudgetActors.Domain.Forecasting;

/// <summary>
/// Forecasts a budget's spend of one metric to the end of its period, from its spend per local day.
/// <para>
/// <b>History.</b> The complete days before today in the budget's zone, from its first day (days
/// without spend are zeros); at most the last <see cref="MaxHistoryDays"/> are used. Under
/// <see cref="MinimumHistoryDays"/> days the answer is <see cref="InsufficientHistory"/> with the run
/// rate so far. Lone spikes are clipped before any method is trained (see <see cref="Spikes"/>).
/// </para>
/// <para>
/// <b>Method.</b> Under a week of history: <c>run-rate</c>, the mean day. From a week: the candidates
/// <c>seasonal-naive</c> (each weekday as last week), <c>linear-weekday</c> (a line plus weekday
/// effects by least squares over the last four weeks) and <c>holt-winters-damped</c> (damped additive
/// Holt-Winters, weekly season, parameters by grid search on one-step errors) are tried in a
/// rolling-origin backtest (origins on each of the last three weeks' days, horizons up to the days
/// left in the period) and the one with the least mean absolute error per day is chosen; seasonal-naive
/// unless another is strictly better. The other two compete from three weeks of history (their two
/// weeks of minimum plus a week of origins).
/// </para>
/// <para>
/// <b>Band.</b> P50 is spent plus the chosen method's daily forecasts (each at least zero) over the
/// rest of the period, today's and a cut last day in proportion to what is left of them. P10 and P90
/// are P50 ∓ a half-width that grows with the days left as the backtest's cumulative errors did
/// (<see cref="ForecastBand"/>); P10 never goes below what is spent.
/// </para>
/// <para>
/// <b>Numbers.</b> The models run in <see cref="double"/>: smoothing, least squares, logarithms and
/// powers need its functions and range, and a forecast's error is many orders of magnitude above
/// double's rounding. Money that is known stays decimal: spent and the limit are never converted; each
/// day's forecast becomes a decimal of 6 places, and the path, its crossing of the limit and the
/// answers are summed and compared in decimal (answers rounded half to even to 6 places).
/// </para>
/// <para>
/// <b>Trend</b> is the slope of the last two weeks (<see cref="TrendOf"/>): rising or falling past 5 %
/// of the mean day per week and two standard errors; flat otherwise.
/// </para>
/// </summary>
public static class Forecaster
{
    public const int MinimumHistoryDays = 3;

    /// <summary>From this much history the candidates are backtested; under it, run-rate.</summary>
    public const int SeasonalHistoryDays = 7;

    /// <summary>Thirteen weeks: enough for any of the methods, and older spend says little about this period.</summary>
    public const int MaxHistoryDays = 91;

    public static ForecastOutcome Predict(ForecastInput input)
    {
        var zone = input.Validate();
        var now = input.Now;
        var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
        var (history, todaySoFar) = Dense(input, today);
        if (history.Length < MinimumHistoryDays)
        {
            return new InsufficientHistory(history.Length, RunRateSoFar(history, todaySoFar, now, zone, today));
        }

        var from = now > input.PeriodStart ? now : input.PeriodStart;
        var stretches = RemainingDays.Of(from, input.PeriodEnd, zone, today);
        var horizon = stretches.Count == 0 ? 1 : stretches[^1].Horizon;

        var used = history.Skip(Math.Max(0, history.Length - MaxHistoryDays)).Select(d => (double)d).ToArray();
        var (method, daily, band, cleaned) = Choose(used, horizon);

        // The median path, in decimal: spent, then each stretch's share of its day's forecast.
        var limit = input.Limit;
        var path = input.Spent;
        var daysLeft = 0m;
        DateTimeOffset? overrunAt = null;
        var days = ImmutableArray.CreateBuilder<ForecastDay>(stretches.Count);
        foreach (var s in stretches)
        {
            var amount = Amounts.Round(daily[s.Horizon - 1]) * s.Share;
            if (overrunAt is null && limit is { } l && input.Spent <= l && path + amount > l)
            {
                var fraction = (l - path) / amount;
                overrunAt = RemainingDays.InZone(s.From.AddTicks((long)Math.Round((s.To - s.From).Ticks * fraction)), zone);
            }

            path += amount;
            daysLeft += s.Share;
            days.Add(new ForecastDay(s.From, s.To, Amounts.Round(amount)));
        }

        var half = (decimal)Math.Min(band.HalfWidth((double)daysLeft), Amounts.Ceiling);
        var predicted = new PredictedSpend(
            Amounts.Round(Math.Max(input.Spent, path - half)),
            Amounts.Round(path),
            Amounts.Round(path + half));
        decimal? utilization = limit is not { } lim ? null
            : lim == 0m ? 1m
            : Amounts.Round(Math.Min(predicted.P50 / lim, MaxShare));
        (LocalDate Date, int InDays)? overrunDay = null;
        if (overrunAt is { } at)
        {
            var date = Instant.FromDateTimeOffset(at).InZone(zone).Date;
            overrunDay = (date, NodaTime.Period.Between(today, date, PeriodUnits.Days).Days);
        }

        return new Forecast(
            history.Length,
            RemainingDays.InZone(input.PeriodEnd, zone),
            input.Spent,
            predicted,
            utilization,
            TrendOf.Classify(cleaned),
            overrunAt,
            overrunDay?.InDays,
            method,
            ForecastWording.Recommend(input.BudgetId, input.Metric, limit, input.Spent, predicted, utilization, daysLeft, overrunDay),
            days.MoveToImmutable(),
            input.Metric);
    }

    /// <summary>
    /// How each method that can compete on these days does in the backtest, for a horizon of
    /// <paramref name="horizon"/> days (what <see cref="Predict"/> chooses on; for diagnostics). Empty
    /// under <see cref="SeasonalHistoryDays"/> days.
    /// </summary>
    public static ImmutableArray<MethodScore> Scores(IReadOnlyList<decimal> days, int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (days.Count < SeasonalHistoryDays)
        {
            return [];
        }

        var actual = days.Skip(Math.Max(0, days.Count - MaxHistoryDays)).Select(d => (double)d).ToArray();
        return [.. Backtest.Run(actual, Spikes.Clip(actual), horizon).Select(t => t.Score)];
    }

    /// <summary>The most <see cref="Forecast.UtilizationAtEnd"/> says, as the budget's own utilization does.</summary>
    private const decimal MaxShare = 1_000_000m;

    private static (string Method, double[] Daily, ForecastBand Band, double[] Cleaned) Choose(double[] days, int horizon)
    {
        if (days.Length < SeasonalHistoryDays)
        {
            return (RunRate.Instance.Method, RunRate.Instance.Forecast(days, horizon), ForecastBand.FromSpread(days), days);
        }

        var cleaned = Spikes.Clip(days);
        var trials = Backtest.Run(days, cleaned, horizon);
        var chosen = Backtest.Choose(trials);
        var band = chosen.Errors.Count == 0 ? ForecastBand.FromSpread(days) : ForecastBand.FromBacktest(chosen.Errors);
        return (chosen.Model.Method, chosen.Model.Forecast(cleaned, horizon), band, cleaned);
    }

    /// <summary>The days from the first of history to yesterday, zeros filled in, and today's spend so far.</summary>
    private static (decimal[] History, decimal TodaySoFar) Dense(ForecastInput input, LocalDate today)
    {
        var first = input.FirstDay ?? (input.Daily.Count == 0 ? today : input.Daily.Keys.Min());
        var count = first < today ? NodaTime.Period.Between(first, today, PeriodUnits.Days).Days : 0;
        var history = new decimal[count];
        foreach (var (date, value) in input.Daily)
        {
            if (date >= first && date < today)
            {
                history[NodaTime.Period.Between(first, date, PeriodUnits.Days).Days] = value;
            }
        }

        return (history, input.TodaySoFar ?? input.Daily.GetValueOrDefault(today));
    }

    /// <summary>Spend per day over the complete days and the elapsed part of today.</summary>
    private static decimal RunRateSoFar(decimal[] history, decimal todaySoFar, DateTimeOffset now, DateTimeZone zone, LocalDate today)
    {
        var dayStart = today.AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset();
        var dayEnd = today.PlusDays(1).AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset();
        var elapsed = history.Length + (decimal)(now - dayStart).Ticks / (dayEnd - dayStart).Ticks;
        return elapsed <= 0m ? 0m : Amounts.Round((history.Sum() + todaySoFar) / elapsed);
    }
}
