
namespace Homelab.Reconciler.Apply;

/// <summary>Everything a reconcile did, in order.</summary>
public sealed record ChangeSet(IReadOnlyList<Change> Changes)
{
    public static ChangeSet Empty { get; } = new([]);

    public int Count(ChangeAction action) => Changes.Count(c => c.Action == action);

    /// <summary>The fingerprint of every object the server holds as we applied it, by <see cref="Kubernetes.ObjectReference.Id"/>.</summary>
    public IReadOnlyDictionary<string, string> Fingerprints() =>
        Changes.Where(c => c.Fingerprint is not null && c.Action != ChangeAction.Deleted)
            .GroupBy(c => c.Target.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Fingerprint!, StringComparer.Ordinal);

    public bool HasChanges => Changes.Any(c => c.Action is ChangeAction.Created or ChangeAction.Configured or ChangeAction.Deleted);

    public ChangeSet Concat(ChangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ChangeSet([.. Changes, .. other.Changes]);
    }

    /// <summary>"3 created, 1 configured, 12 unchanged" (only the actions that occurred).</summary>
    public string Summary()
    {
        var parts = Enum.GetValues<ChangeAction>()
            .Select(a => (Action: a, Count: Count(a)))
            .Where(x => x.Count > 0)
            .Select(x => $"{x.Count} {x.Action.ToString().ToLowerInvariant()}");
        var text = string.Join(", ", parts);
        return text.Length == 0 ? "nothing to do" : text;
    }
}
