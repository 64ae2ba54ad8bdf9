using System.Net;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Inventory;

/// <summary>
/// Rebuilds a lost or unreadable inventory from the cluster: every object labelled with this owner's
/// key, in every kind the server lets us list. Pruning then stays correct after the state directory
/// was deleted; objects of other sources or paths carry another key and are never listed.
/// </summary>
public sealed class InventoryRecovery(KubeApi api, ApiDiscovery discovery)
{
    public async Task<ObjectInventory> RecoverAsync(InventoryOwner owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var selector = Uri.EscapeDataString($"{Ownership.OwnerLabel}={owner.Key}");
        var entries = new List<ObjectReference>();
        foreach (var mapping in await discovery.AllListableAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await foreach (var item in api.ListAsync($"{mapping.CollectionPath(null)}?labelSelector={selector}", cancellationToken).ConfigureAwait(false))
                {
                    // List items carry no apiVersion or kind: the mapping says what they are.
                    if (item["metadata"]?["name"]?.GetValue<string>() is { Length: > 0 } name)
                    {
                        entries.Add(new ObjectReference(mapping.ApiVersion, mapping.Kind, item["metadata"]?["namespace"]?.GetValue<string>(), name));
                    }
                }
            }
            catch (KubeApiException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                // Not ours to list (least-privilege RBAC): nothing of ours can be there either.
            }
        }

        // Apply order, so that pruning (its reverse) removes workloads before their namespaces.
        return new ObjectInventory(string.Empty, entries.OrderBy(e => ApplyOrder.Rank(e.Kind)).ThenBy(e => e.Id, StringComparer.Ordinal).ToList());
    }
}
