using System.Diagnostics;
using System.Diagnostics.Metrics;
using Homelab.Reconciler.Apply;

namespace Homelab.Reconciler.Telemetry;

/// <summary>The reconciler's spans and metrics, named <c>Homelab.Reconciler</c>.</summary>
public static class ReconcilerTelemetry
{
    public const string Name = "Homelab.Reconciler";

    public static ActivitySource Source { get; } = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("homelab.reconcile.duration", "s", "Duration of a reconcile cycle.");
    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("homelab.reconcile.runs", description: "Reconcile cycles, by result.");
    private static readonly Counter<long> Applied = Meter.CreateCounter<long>("homelab.objects.applied", description: "Objects handled by apply and prune, by action.");
    private static readonly Counter<long> DriftRepairs = Meter.CreateCounter<long>("homelab.drift.repairs", description: "Out-of-band changes detected and repaired.");
    private static readonly Counter<long> Notifications = Meter.CreateCounter<long>("homelab.notifications", description: "Notifications, by result: sent, failed (every attempt failed) or dropped (the queue was full).");
    private static long _inventory;

    static ReconcilerTelemetry() =>
        Meter.CreateObservableGauge("homelab.inventory.objects", () => Interlocked.Read(ref _inventory), description: "Objects the reconciler manages.");

    /// <summary>One cycle's outcome; an <paramref name="inventory"/> of null (not read) leaves the gauge at its last value.</summary>
    public static void RecordCycle(string result, TimeSpan duration, ChangeSet changes, int? inventory)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("result", result));
        Runs.Add(1, new KeyValuePair<string, object?>("result", result));
        foreach (var group in changes.Changes.GroupBy(c => c.Action))
        {
            Applied.Add(group.Count(), new KeyValuePair<string, object?>("action", group.Key.ToString().ToLowerInvariant()));
        }

        if (inventory is { } count)
        {
            Interlocked.Exchange(ref _inventory, count);
        }
    }

    /// <summary>One notification's fate: <c>sent</c>, <c>failed</c> or <c>dropped</c>; tagged with the provider.</summary>
    public static void RecordNotification(string result, string provider) =>
        Notifications.Add(1, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("provider", provider));

    public static void RecordDriftRepair(string kind) =>
        DriftRepairs.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
