using BudgetActors.Alerts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace BudgetActors.Grains.Telemetry;

/// <summary>How a host collects and exports the metrics and logs of BudgetActors.</summary>
public static class TelemetryHosting
{
    /// <summary>The standard OpenTelemetry variable: when set, metrics and logs are also exported over OTLP to it.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The meters a host collects: the budget layer's, alert delivery's and Orleans' own.</summary>
    public static readonly string[] Meters = [BudgetMetrics.MeterName, AlertMetrics.MeterName, "Microsoft.Orleans"];

    /// <summary>Binds <see cref="MetricsOptions"/> (section <c>Metrics</c>), validated at start.</summary>
    public static IServiceCollection AddMetricsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>());
        return services;
    }

    /// <summary>
    /// OpenTelemetry metrics of <see cref="Meters"/> and the .NET runtime, plus whatever
    /// <paramref name="metrics"/> adds (the API host: ASP.NET Core and the Prometheus exporter); with
    /// <see cref="OtlpEndpointVariable"/> set, metrics and logs (with their structured state: tenant,
    /// budget, reservation ids) go over OTLP too, configured by the standard <c>OTEL_EXPORTER_OTLP_*</c> variables.
    /// </summary>
    /// <returns>Whether OTLP export is on.</returns>
    public static bool AddBudgetActorsTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName,
        Action<MeterProviderBuilder>? metrics = null)
    {
        services.AddMetricsOptions(configuration);
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(builder =>
            {
                builder.AddMeter(Meters).AddRuntimeInstrumentation();
                metrics?.Invoke(builder);
            });
        if (otlp)
        {
            telemetry.WithLogging(logging => { }, options => options.IncludeScopes = true).UseOtlpExporter();
        }

        return otlp;
    }
}
