namespace Homelab.Reconciler.Health;

/// <summary>What a workload's pods say about it, one line per container (the same line from several pods once).</summary>
/// <param name="CannotStart">Containers that will not start without a change: a bad image, a crash loop, a bad config.</param>
/// <param name="NotReady">Containers that run but are not ready, with restarts and the readiness probe's last failure when known.</param>
public sealed record PodFindings(IReadOnlyList<string> CannotStart, IReadOnlyList<string> NotReady)
{
    public static PodFindings None { get; } = new([], []);
}
