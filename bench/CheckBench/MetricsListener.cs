using BudgetActors.Grains.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace BudgetActors.CheckBench;

/// <summary>
/// An OpenTelemetry meter provider on the meters the hosts collect, with a reader whose exports are
/// dropped: every recording is aggregated as in the API host, and nothing else runs.
/// </summary>
internal static class MetricsListener
{
    public static MeterProvider Start() =>
        Sdk.CreateMeterProviderBuilder()
            .AddMeter(TelemetryHosting.Meters)
            .AddReader(new PeriodicExportingMetricReader(new Discard(), exportIntervalMilliseconds: 10_000))
            .Build();

    private sealed class Discard : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
