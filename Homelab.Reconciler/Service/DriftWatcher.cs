using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Telemetry;

namespace Homelab.Reconciler.Service;

/// <summary>
/// Watches the kinds the reconciler manages and asks for a cycle as soon as a managed object is deleted
/// or changed out of band (a <c>kubectl edit</c>), instead of waiting for the interval. Its own writes
/// leave every desired field in place and are ignored. An object repaired <see cref="FightLimit"/> times
/// within <see cref="FightWindow"/> is being fought over by someone else: it is reported, not repaired
/// again until the next scheduled cycle.
/// </summary>
public sealed class DriftWatcher(KubeApi api, DesiredState desired, ReconcileTrigger trigger, ReconcileStatus status, ILogger<DriftWatcher> logger)
{
    public const int FightLimit = 5;
    public static readonly TimeSpan FightWindow = TimeSpan.FromMinutes(1);

    private readonly Dictionary<ObjectReference, Queue<DateTimeOffset>> _repairs = [];
    private readonly Lock _lock = new();

    /// <summary>Watches until cancelled, restarting the set of watches when the desired kinds change.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var discovery = new ApiDiscovery(api);
        while (!cancellationToken.IsCancellationRequested)
        {
            using var generation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void OnChanged(object? sender, EventArgs e) => generation.Cancel();
            desired.Changed += OnChanged;
            try
            {
                var collections = new HashSet<string>(StringComparer.Ordinal);
                foreach (var reference in desired.Objects.Keys)
                {
                    if (await discovery.FindAsync(reference.ApiVersion, reference.Kind, generation.Token).ConfigureAwait(false) is { } mapping)
                    {
                        collections.Add(mapping.CollectionPath(reference.Namespace));
                    }
                }

                await Task.WhenAll(collections.Select(c => WatchAsync(c, generation.Token)).Append(Task.Delay(Timeout.Infinite, generation.Token))).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The desired set changed: watch the new kinds.
            }
            finally
            {
                desired.Changed -= OnChanged;
            }
        }
    }

    /// <summary>A new scheduled cycle forgives past fights.</summary>
    public void ResetFights()
    {
        lock (_lock)
        {
            _repairs.Clear();
        }
    }

    private async Task WatchAsync(string collection, CancellationToken cancellationToken)
    {
        var selector = Uri.EscapeDataString($"{Ownership.ManagedByLabel}={Ownership.ManagedByValue}");
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await api.WatchAsync(collection, $"&labelSelector={selector}", cancellationToken).ConfigureAwait(false);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (JsonNode.Parse(line) is JsonObject watchEvent)
                    {
                        Inspect(watchEvent["type"]?.GetValue<string>(), watchEvent["object"] as JsonObject);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or KubeApiException or IOException or System.Text.Json.JsonException)
            {
                logger.LogDebug("Watch on {Collection} ended: {Reason}; reopening", collection, ex.Message);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }

    internal void Inspect(string? type, JsonObject? live)
    {
        if (live is null || type is not ("MODIFIED" or "DELETED" or "ADDED"))
        {
            return;
        }

        var reference = ObjectReference.Of(live);
        if (!desired.Objects.TryGetValue(reference, out var wanted))
        {
            return;
        }

        var drifted = type == "DELETED" || !JsonSubset.IsSubset(wanted, live);
        if (!drifted)
        {
            return;
        }

        if (IsFight(reference))
        {
            var message = $"{reference} keeps being changed by someone else ({LastManager(live)}); repaired {FightLimit} times in {FightWindow.TotalSeconds:0} s, left until the next interval";
            status.ReportFight(message);
            logger.LogWarning("{Message}", message);
            return;
        }

        ReconcilerTelemetry.RecordDriftRepair(reference.Kind);
        logger.LogInformation("Drift: {Object} was {Change} out of band; reconciling", reference, type == "DELETED" ? "deleted" : "changed");
        trigger.Request($"drift: {reference}");
    }

    private bool IsFight(ObjectReference reference)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            if (!_repairs.TryGetValue(reference, out var times))
            {
                _repairs[reference] = times = new Queue<DateTimeOffset>();
            }

            while (times.Count > 0 && now - times.Peek() > FightWindow)
            {
                times.Dequeue();
            }

            if (times.Count >= FightLimit)
            {
                return true;
            }

            times.Enqueue(now);
            return false;
        }
    }

    private static string LastManager(JsonObject live) =>
        live["metadata"]?["managedFields"]?.AsArray().OfType<JsonObject>()
            .Where(f => f["manager"]?.GetValue<string>() != Ownership.FieldManager)
            .Select(f => f["manager"]?.GetValue<string>())
            .LastOrDefault() ?? "unknown manager";
}
