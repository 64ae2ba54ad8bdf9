using Homelab.Defaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Common Aspire services: service discovery, resilience, health checks and OpenTelemetry.
/// Grown from the Aspire template: quiet per-request logging, a readiness endpoint, probe paths from
/// <see cref="ProbePaths"/>, and the endpoints mapped in every environment (pods are probed in production).
/// Product telemetry registers itself elsewhere.
/// </summary>
public static class Extensions
{
    /// <summary>The tag of checks <see cref="ProbePaths.Alive"/> runs.</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of checks <see cref="ProbePaths.Ready"/> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// The categories that write a line or more per HTTP request at Information: probes every few seconds
    /// made most of a pod's log (~94 lines a minute). Quiet below Warning (the health check service below
    /// Critical) unless configuration says otherwise.
    /// </summary>
    private static readonly string[] PerRequestCategories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Routing.EndpointMiddleware",
        "Microsoft.AspNetCore.Http.Result",
        "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService",
    ];

    /// <summary>Quiets per-request logging; adds OpenTelemetry, default health checks, service discovery and HTTP resilience.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.QuietPerRequestLogging();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// Per-request logging at Warning by default (the health check service at Critical), as the
    /// lowest-priority configuration source: any <c>Logging:LogLevel:&lt;category&gt;</c> setting (environment,
    /// appsettings) still wins. The health check service logs an unhealthy probe at Error every few seconds,
    /// repeating what the service logged once when it became so.
    /// </summary>
    public static TBuilder QuietPerRequestLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var defaults = PerRequestCategories.ToDictionary(c => $"Logging:LogLevel:{c}", c => (string?)(c.EndsWith("DefaultHealthCheckService", StringComparison.Ordinal) ? "Critical" : "Warning"), StringComparer.OrdinalIgnoreCase);
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults });
        return builder;
    }

    /// <summary>Configures OpenTelemetry logs, metrics and traces, exported over OTLP when configured.</summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(options =>
                    // Health probes every few seconds would drown the traces that matter.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(ProbePaths.Health)
                        && !context.Request.Path.StartsWithSegments(ProbePaths.Alive)
                        && !context.Request.Path.StartsWithSegments(ProbePaths.Ready))
                .AddHttpClientInstrumentation());

        builder.AddOpenTelemetryExporters();

        return builder;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Adds the "self" liveness check every service has.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check), <c>/alive</c> (checks tagged <see cref="LiveTag"/>) and <c>/ready</c>
    /// (checks tagged <see cref="ReadyTag"/>).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthChecks(ProbePaths.Health);
        app.MapHealthChecks(ProbePaths.Alive, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        });
        app.MapHealthChecks(ProbePaths.Ready, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(ReadyTag),
        });

        return app;
    }
}
