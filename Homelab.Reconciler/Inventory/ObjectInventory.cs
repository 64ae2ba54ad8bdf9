using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Inventory;

/// <summary>The objects applied at a revision, in apply order.</summary>
/// <param name="Revision">The revision these objects were applied from.</param>
/// <param name="Entries">The objects, in the order they were applied.</param>
/// <param name="Fingerprints">
/// By <see cref="ObjectReference.Id"/>: what the server stored of our fields (<c>Apply/OwnedFields</c>)
/// after the last write, so the next cycle can tell "unchanged" without writing. Absent in older files.
/// </param>
public sealed record ObjectInventory(string Revision, IReadOnlyList<ObjectReference> Entries, IReadOnlyDictionary<string, string>? Fingerprints = null)
{
    public static ObjectInventory Empty { get; } = new(string.Empty, []);

    /// <summary>Objects of the <paramref name="previous"/> inventory that this one no longer has, in reverse apply order (prune order).</summary>
    public IReadOnlyList<ObjectReference> Removed(ObjectInventory previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var current = Entries.ToHashSet();
        return previous.Entries.Where(e => !current.Contains(e)).Reverse().ToList();
    }

    /// <summary>Counts by kind, for status.</summary>
    public IReadOnlyDictionary<string, int> CountByKind() =>
        Entries.GroupBy(e => e.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
