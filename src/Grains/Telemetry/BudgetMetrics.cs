using System.Diagnostics;
using System.Diagnostics.Metrics;
using BudgetActors.Domain;
using BudgetActors.Grains.Admission;

namespace BudgetActors.Grains.Telemetry;

/// <summary>Where a request came in: the HTTP API, or the admission grain that job workers call.</summary>
public enum AdmissionDoor
{
    Http,
    Grain,
}

/// <summary>
/// The instruments of the budget layer (meter <see cref="MeterName"/>), named in OpenTelemetry's
/// dotted style; the Prometheus exporter writes them with underscores and unit suffixes (README,
/// "Metrics"). Every recording method is one counter add or one histogram record with tags made
/// from constant strings: no allocation, no lock of ours, and next to nothing when nobody listens.
/// Gauges of the budgets themselves are observed at scrape time from this process's
/// <see cref="BudgetBoard"/>s, never computed on the admission path.
/// </summary>
public static class BudgetMetrics
{
    public const string MeterName = "BudgetActors.Grains";

    // Latencies of in-memory admission are microseconds; the tail (a grain activation, a ledger
    // read, a silo's death) reaches seconds. OpenTelemetry's default bounds are made for milliseconds.
    private static readonly double[] LatencyBounds =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly double[] CommitBounds =
        [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly int[] BatchBounds = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>("budget_actors.decisions", "{decision}",
        "Answered checks and reservations, by decision (allow, warn, throttle, downgrade, block), door (http, grain) and operation (check, reserve).");

    private static readonly Histogram<double> CheckDuration = Meter.CreateHistogram("budget_actors.check.duration", "s",
        "Time to answer a check, in the process that admits it (HTTP parsing not included), by door.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBounds });

    private static readonly Histogram<double> ReserveDuration = Meter.CreateHistogram("budget_actors.reserve.duration", "s",
        "Time to answer a reservation (its holds, its ledger entry and its confirmation), by door.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBounds });

    // Money stays exact here too: whole micro-units (cost has 6 places), never a binary float. A 64-bit
    // sum holds 9.2 × 10^12 of a currency per process lifetime before it could wrap. The sum is over
    // tenants of any currency, each amount in its own tenant's currency: a rate to watch, the ledger accounts.
    private static readonly Counter<long> ChargedCostMicros = Meter.CreateCounter<long>("budget_actors.charged.cost.micros", "{micro}",
        "Cost charged by usage and commits in micro-units of the tenants' currencies (1,000,000 = 1.00; each charge once, however many budgets it applies to), by kind (usage, commit).");

    private static readonly Counter<long> ChargedTokens = Meter.CreateCounter<long>("budget_actors.charged.tokens", "{token}",
        "Tokens charged by usage and commits, by kind (usage, commit).");

    private static readonly UpDownCounter<long> HoldsOpen = Meter.CreateUpDownCounter<long>("budget_actors.holds.open", "{hold}",
        "Holds of granted reservations on the budgets active in this process (a reservation on three budgets holds three).");

    private static readonly Histogram<int> LedgerBatchSize = Meter.CreateHistogram("budget_actors.ledger.batch.size", "{entry}",
        "Entries written by one group commit of the PostgreSQL ledger.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBounds });

    private static readonly Histogram<double> LedgerCommitDuration = Meter.CreateHistogram("budget_actors.ledger.commit.duration", "s",
        "Time from taking a connection to a batch's durable commit in the PostgreSQL ledger.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBounds });

    private static readonly string[] DecisionNames = ["allow", "warn", "throttle", "downgrade", "block"];
    private static readonly string[] DoorNames = ["http", "grain"];
    private static readonly KeyValuePair<string, object?> CheckOperation = new("operation", "check");
    private static readonly KeyValuePair<string, object?> ReserveOperation = new("operation", "reserve");
    private static readonly KeyValuePair<string, object?> UsageKind = new("kind", "usage");
    private static readonly KeyValuePair<string, object?> CommitKind = new("kind", "commit");

    static BudgetMetrics()
    {
        // Observed at scrape time: the census of the budgets active in this process (BudgetGauges).
        Meter.CreateObservableGauge("budget_actors.budgets.active", BudgetGauges.ObserveActive, "{budget}",
            "Budgets active (defined and activated) in this process, by state (ok, warning, throttled, blocked).");
        Meter.CreateObservableGauge("budget_actors.budgets.by_utilization", BudgetGauges.ObserveBands, "{budget}",
            "Budgets active in this process whose utilization is at most le (cumulative, like a histogram's buckets; le=+Inf counts them all).");
        Meter.CreateObservableGauge("budget_actors.budget.utilization", BudgetGauges.ObserveTop, "1",
            "Utilization (spend plus holds over the limit, the highest over the limited metrics) of the Metrics:TopBudgets most utilized budgets active in this process, by tenant and budget.");
    }

    /// <summary>Makes the instruments (the static constructor) before the first recording, so that a scrape finds the gauges at once.</summary>
    internal static void Touch()
    {
    }

    /// <summary>A check was answered; <paramref name="started"/> is its <see cref="Stopwatch.GetTimestamp"/> at the start.</summary>
    public static void Checked(AdmissionDoor door, Decision decision, long started)
    {
        var doorTag = new KeyValuePair<string, object?>("door", DoorNames[(int)door]);
        Decisions.Add(1, new KeyValuePair<string, object?>("decision", DecisionNames[(int)decision]), doorTag, CheckOperation);
        CheckDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, doorTag);
    }

    /// <summary>A reservation was answered, granted or not.</summary>
    public static void Reserved(AdmissionDoor door, Decision decision, long started)
    {
        var doorTag = new KeyValuePair<string, object?>("door", DoorNames[(int)door]);
        Decisions.Add(1, new KeyValuePair<string, object?>("decision", DecisionNames[(int)decision]), doorTag, ReserveOperation);
        ReserveDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, doorTag);
    }

    /// <summary>A usage or commit was written to the ledger for the first time (a retry that found it is not a charge).</summary>
    private const decimal MicrosPerUnit = 1_000_000m;

    public static void Charged(LedgerEntryKind kind, Amount amount)
    {
        var kindTag = kind == LedgerEntryKind.Commit ? CommitKind : UsageKind;
        ChargedCostMicros.Add(decimal.ToInt64(amount.Cost * MicrosPerUnit), kindTag); // exact: a cost has at most 6 places
        ChargedTokens.Add(amount.Tokens, kindTag);
    }

    /// <summary>An activation's holds are <paramref name="now"/> where it last counted <paramref name="counted"/>: the gauge moves by the difference.</summary>
    /// <returns>What the activation has counted now.</returns>
    public static int CountHolds(int counted, int now)
    {
        if (now != counted)
        {
            HoldsOpen.Add(now - counted);
        }

        return now;
    }

    /// <summary>A group commit of <paramref name="entries"/> entries became durable.</summary>
    public static void LedgerBatchWritten(int entries, long started)
    {
        LedgerBatchSize.Record(entries);
        LedgerCommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
