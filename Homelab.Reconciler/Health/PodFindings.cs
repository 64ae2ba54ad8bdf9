namespace Homelab.Reconciler.Health;

/// <summary>What a workload's pods say about it, one line per container or pod (the same line from several pods once).</summary>
/// <param name="CannotStart">Containers that will not start without a change: a bad image, a crash loop, a bad config.</param>
/// <param name="NotReady">Containers that run but are not ready, with restarts and the readiness probe's last failure when known.</param>
/// <param name="Unscheduled">
/// Pods the scheduler cannot place (<c>Unschedulable: 0/1 nodes are available: …</c>). Not a reason to stop waiting: a
/// volume being provisioned, a node joining or room freed may still place them; but the wait says why it waits.
/// </param>
public sealed record PodFindings(IReadOnlyList<string> CannotStart, IReadOnlyList<string> NotReady, IReadOnlyList<string> Unscheduled)
{
    public static PodFindings None { get; } = new([], [], []);
}
