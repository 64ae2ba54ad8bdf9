using Homelab.Reconciler.Drift;
using Homelab.Reconciler.Notifications;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;
using Homelab.Reconciler.StatusPage;
using Homelab.Reconciler.Telemetry;
using Homelab.Defaults;
using Homelab.Reconciler.Triggers;
using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Host;

/// <summary>
/// The long-running reconciler: the worker loop, drift repair, the status page (<c>/</c>), <c>/status</c>, the token-protected
/// <c>/reconcile</c>, <c>/suspend</c>, <c>/resume</c>, the GitHub webhook, <c>/health</c>, <c>/alive</c> (liveness:
/// the loop can recover by itself) and <c>/ready</c> (readiness: the last cycle reached Git and the API server).
/// </summary>
public static class ReconcilerService
{
    /// <summary>Runs until stopped; a bad setting is one line on stderr and exit code 2, as in the CLI verbs.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var app = Build(args);
        try
        {
            // Checked here, before the host starts, so the refusal is not a "hosting failed" stack trace.
            _ = app.Services.GetRequiredService<IOptions<ReconcileOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<NotifyOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"reconciler: {ex.Message}").ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 2;
        }

        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <param name="args">Command-line configuration.</param>
    /// <param name="configure">Extra setup before the host is built (tests add log capture here).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The slim host: what the reconciler uses and nothing more (no IIS, no hosting startup assemblies,
        // no reflection), so that it compiles natively. HTTPS stays available for https_ports / https urls.
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJson.Default));
        builder.AddServiceDefaults();
        builder.AddReconcilerTelemetry();
        builder.Services.AddOptions<ReconcileOptions>().BindConfiguration(ReconcileOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReconcileOptions>, ReconcileOptionsValidator>();
        builder.Services.AddOptions<NotifyOptions>().BindConfiguration(NotifyOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NotifyOptions>, NotifyOptionsValidator>();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]) && string.IsNullOrEmpty(builder.Configuration["https_ports"]))
        {
            // Nobody chose an address: listen where `status` looks by default.
            builder.WebHost.UseUrls($"http://localhost:{ReconcilerDefaults.HttpPort}");
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReconcileStatus>();
        builder.Services.AddSingleton<ReconcileTrigger>();
        builder.Services.AddSingleton<DesiredState>();
        builder.Services.AddSingleton<Suspension>();
        builder.Services.AddSingleton<LoopLiveness>();
        // One instance for every probe: it logs when liveness turns, not at every probe.
        builder.Services.AddSingleton<ReconcileLivenessCheck>();
        builder.Services.AddSingleton<Notifier>();
        builder.Services.AddHostedService<NotificationSender>();
        builder.Services.AddHostedService<ReconcileWorker>();
        builder.Services.AddHealthChecks()
            .AddCheck<ReconcileHealthCheck>("reconcile")
            .AddCheck<ReconcileLivenessCheck>("reconcile-loop", tags: [Extensions.LiveTag])
            .AddCheck<ReconcileReadinessCheck>("reconcile-ready", tags: [Extensions.ReadyTag]);
        configure?.Invoke(builder);

        var app = builder.Build();
        // In every environment, Development included: an answer never carries a stack trace.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => Results.Json(new ApiMessage("internal error; the reconciler's log has the details"), ApiJson.Default.ApiMessage, statusCode: StatusCodes.Status500InternalServerError).ExecuteAsync(context),
        });
        app.MapDefaultEndpoints();
        app.MapGet("/status", (ReconcileStatus status) => status.Snapshot());
        app.MapStatusPage();
        app.MapPost("/reconcile", (HttpRequest request, IOptions<ReconcileOptions> options, ReconcileTrigger trigger) =>
            !ApiToken.IsAuthorized(request, options.Value.ApiToken) ? Unauthorized()
            : Results.Accepted(value: new ApiMessage(trigger.Request("requested") ? "reconcile requested" : "a reconcile is already pending")));
        app.MapPost("/suspend", (HttpRequest request, IOptions<ReconcileOptions> options, Suspension suspension) =>
        {
            if (!ApiToken.IsAuthorized(request, options.Value.ApiToken))
            {
                return Unauthorized();
            }

            suspension.Set(true);
            return Results.Ok(new ApiMessage("suspended: no cycle runs until resumed"));
        });
        app.MapPost("/resume", (HttpRequest request, IOptions<ReconcileOptions> options, Suspension suspension, ReconcileTrigger trigger) =>
        {
            if (!ApiToken.IsAuthorized(request, options.Value.ApiToken))
            {
                return Unauthorized();
            }

            suspension.Set(false);
            trigger.Request("resumed");
            return Results.Ok(new ApiMessage("resumed: reconciling now"));
        });
        app.MapPost("/hooks/github", (HttpRequest request, IOptions<ReconcileOptions> options, ReconcileTrigger trigger, CancellationToken cancellationToken) =>
            GitHubWebhook.HandleAsync(request, options.Value.WebhookSecret, options.Value.Ref, trigger, cancellationToken));
        return app;
    }

    private static IResult Unauthorized() =>
        Results.Json(new ApiMessage("a valid bearer token (Reconciler:ApiToken) is required"), ApiJson.Default.ApiMessage, statusCode: StatusCodes.Status401Unauthorized);
}
