using System.Net;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Apply;

/// <summary>
/// Deletes what was removed from Git: only objects of the previous inventory that still carry the
/// ownership label, whose owner label (when they have one) is <paramref name="owner"/>, and that have
/// not opted out (<c>homelab.dev/prune: disabled</c>, Flux's annotation too), in the order given
/// (reverse apply order).
/// </summary>
/// <param name="api">The API server.</param>
/// <param name="discovery">Finds each kind's resource.</param>
/// <param name="owner">This inventory's owner key; objects labelled with another owner are never deleted.</param>
/// <param name="progress">Receives counts as objects are pruned.</param>
/// <param name="formerOwner">The key the same owner labelled objects with before (<c>InventoryOwner.FileKey</c>): still ours.</param>
public sealed class Pruner(KubeApi api, ApiDiscovery discovery, string? owner, IProgress<ApplyProgress>? progress = null, string? formerOwner = null)
{
    public async Task<ChangeSet> PruneAsync(IReadOnlyList<ObjectReference> removed, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(removed);
        var changes = new List<Change>(removed.Count);
        foreach (var reference in removed)
        {
            changes.Add(await PruneOneAsync(reference, dryRun, cancellationToken).ConfigureAwait(false));
            progress?.Report(new ApplyProgress("pruning", changes.Count, removed.Count));
        }

        return new ChangeSet(changes);
    }

    private async Task<Change> PruneOneAsync(ObjectReference reference, bool dryRun, CancellationToken cancellationToken)
    {
        var mapping = await discovery.FindAsync(reference.ApiVersion, reference.Kind, cancellationToken).ConfigureAwait(false);
        if (mapping is null)
        {
            return new Change(reference, ChangeAction.Skipped, new ChangeReason(ChangeReasonKind.KindNoLongerServed));
        }

        var path = mapping.ObjectPath(reference.Namespace, reference.Name);
        System.Text.Json.Nodes.JsonObject? live;
        try
        {
            live = await api.GetAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return new Change(reference, ChangeAction.Skipped, new ChangeReason(ChangeReasonKind.AlreadyGone));
        }

        if (!Ownership.IsManaged(live))
        {
            return new Change(reference, ChangeAction.Skipped, new ChangeReason(ChangeReasonKind.NotLabelledAsOurs));
        }

        // No owner label: applied by a version before owners were labelled, and listed in this owner's
        // inventory (taken over from that version), so ours. Another owner's label is never ours.
        if (Ownership.Owner(live) is { } other && other != owner && other != formerOwner)
        {
            return new Change(reference, ChangeAction.Skipped, new ChangeReason(ChangeReasonKind.OwnedByAnother, other));
        }

        if (Ownership.IsPruneDisabled(live))
        {
            return new Change(reference, ChangeAction.Skipped, new ChangeReason(ChangeReasonKind.PruneDisabled));
        }

        if (!dryRun)
        {
            await api.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
        }

        return new Change(reference, ChangeAction.Deleted);
    }
}
