using System.Collections.Immutable;

namespace Homelab.Reconciler.Notifications;

/// <summary>What the last outcomes said, as far as notifications care: the transition detector's memory.</summary>
/// <param name="Known">An outcome was seen since start (before one, a success with nothing to change says nothing).</param>
/// <param name="Failure">What cycles fail on now; null while they succeed.</param>
/// <param name="Revision">The revision last applied; null before one.</param>
/// <param name="Fights">Objects being fought over, with when the fight was last reported.</param>
public sealed record NotificationState(bool Known, FailureState? Failure, string? Revision, ImmutableDictionary<string, DateTimeOffset> Fights)
{
    /// <summary>At start: nothing seen yet.</summary>
    public static NotificationState Initial { get; } = new(false, null, null, ImmutableDictionary<string, DateTimeOffset>.Empty.WithComparers(StringComparer.Ordinal));
}
