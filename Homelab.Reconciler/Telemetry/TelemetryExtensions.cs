using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Homelab.Reconciler.Telemetry;

/// <summary>Registers the reconciler's own ActivitySource and Meter with OpenTelemetry (exported by ServiceDefaults).</summary>
public static class TelemetryExtensions
{
    public static IHostApplicationBuilder AddReconcilerTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(ReconcilerTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(ReconcilerTelemetry.Name));
        return builder;
    }
}
