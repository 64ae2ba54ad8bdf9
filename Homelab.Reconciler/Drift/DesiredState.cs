using System.Collections.Frozen;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Drift;

/// <summary>
/// What the last cycle left on the server, for the drift watcher: each applied object and the
/// fingerprint of our fields as the server stored them (<see cref="OwnedFields"/>), hashes rather
/// than JSON trees. While a cycle is applying, the watcher holds its judgement: the events of our
/// own writes are judged against the fingerprints the cycle records when it ends.
/// </summary>
public sealed class DesiredState
{
    private volatile FrozenDictionary<ObjectReference, string?> _fingerprints = FrozenDictionary<ObjectReference, string?>.Empty;
    private volatile bool _applying;

    /// <summary>Raised when the kinds (and namespaces) in use change, so watches follow them; not on every cycle.</summary>
    public event EventHandler? Changed;

    /// <summary>Raised when a cycle ends, so events held during it are judged.</summary>
    public event EventHandler? CycleEnded;

    /// <summary>The objects last applied, with their fingerprints (null: not ours to compare, e.g. reconcile disabled).</summary>
    public IReadOnlyDictionary<ObjectReference, string?> Objects => _fingerprints;

    /// <summary>Whether a cycle is running (its writes are ours, not drift).</summary>
    public bool Applying => _applying;

    public void BeginCycle() => _applying = true;

    /// <summary>Ends a cycle; <paramref name="applied"/> holds what it applied, or null when it applied nothing (failed or skipped early).</summary>
    public void EndCycle(ChangeSet? applied)
    {
        if (applied is not null)
        {
            var previous = Collections(_fingerprints.Keys);
            _fingerprints = applied.Changes
                .Where(c => c.Action is ChangeAction.Created or ChangeAction.Configured or ChangeAction.Unchanged or ChangeAction.Skipped)
                .GroupBy(c => c.Target)
                .ToFrozenDictionary(g => g.Key, g => g.Last().Fingerprint);
            if (!previous.SetEquals(Collections(_fingerprints.Keys)))
            {
                Changed?.Invoke(this, EventArgs.Empty);
            }
        }

        _applying = false;
        CycleEnded?.Invoke(this, EventArgs.Empty);
    }

    private static HashSet<string> Collections(IEnumerable<ObjectReference> references) =>
        references.Select(r => $"{r.ApiVersion}/{r.Kind}/{r.Namespace}").ToHashSet(StringComparer.Ordinal);
}
