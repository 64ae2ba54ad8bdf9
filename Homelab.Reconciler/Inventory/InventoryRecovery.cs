using System.Net;
using System.Text.Json.Nodes;
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
            JsonObject? list;
            try
            {
                list = await api.GetAsync($"{mapping.CollectionPath(null)}?labelSelector={selector}", cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            {
                // Not ours to list (least-privilege RBAC): nothing of ours can be there either.
                continue;
            }

            // List items carry no apiVersion or kind: the mapping says what they are.
            entries.AddRange(list?["items"]?.AsArray().OfType<JsonObject>()
                .Select(item => new ObjectReference(mapping.ApiVersion, mapping.Kind, item["metadata"]?["namespace"]?.GetValue<string>(), item["metadata"]?["name"]?.GetValue<string>() ?? string.Empty))
                .Where(reference => reference.Name.Length > 0) ?? []);
        }

        // Apply order, so that pruning (its reverse) removes workloads before their namespaces.
        return new ObjectInventory(string.Empty, entries.OrderBy(e => ApplyOrder.Rank(e.Kind)).ThenBy(e => e.Id, StringComparer.Ordinal).ToList());
    }
}
