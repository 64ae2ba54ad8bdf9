using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// Maps apiVersion + kind to REST paths by asking the server, one request per group-version, cached.
/// Custom resources work the same as built-in kinds.
/// </summary>
public sealed class ApiDiscovery(KubeApi api)
{
    private readonly ConcurrentDictionary<string, Task<IReadOnlyDictionary<string, ResourceMapping>?>> _groupVersions = new(StringComparer.Ordinal);

    /// <summary>The mapping, or null when the server does not serve that kind.</summary>
    public async Task<ResourceMapping?> FindAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, ResourceMapping>? kinds;
        try
        {
            kinds = await _groupVersions.GetOrAdd(apiVersion, v => LoadAsync(v, cancellationToken)).ConfigureAwait(false);
        }
        catch
        {
            // A failed lookup (server down, cancelled) must not be remembered.
            _groupVersions.TryRemove(apiVersion, out _);
            throw;
        }

        if (kinds is null || !kinds.TryGetValue(kind, out var mapping))
        {
            // A CRD applied moments ago adds kinds: ask again next time.
            _groupVersions.TryRemove(apiVersion, out _);
            return null;
        }

        return mapping;
    }

    /// <summary>Like <see cref="FindAsync"/>, but an unknown kind is an error that names it.</summary>
    public async Task<ResourceMapping> GetAsync(string apiVersion, string kind, CancellationToken cancellationToken) =>
        await FindAsync(apiVersion, kind, cancellationToken).ConfigureAwait(false)
        ?? throw new KubeApiException(HttpStatusCode.NotFound, $"the server has no kind {kind} in {apiVersion}");

    private async Task<IReadOnlyDictionary<string, ResourceMapping>?> LoadAsync(string apiVersion, CancellationToken cancellationToken)
    {
        var path = ApiVersions.PathOf(apiVersion);
        JsonObject? list;
        try
        {
            list = await api.GetAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var kinds = new Dictionary<string, ResourceMapping>(StringComparer.Ordinal);
        foreach (var resource in list?["resources"]?.AsArray() ?? [])
        {
            var plural = resource?["name"]?.GetValue<string>();
            var kind = resource?["kind"]?.GetValue<string>();
            // Sub-resources ("deployments/status") share the kind; only the main resource maps.
            if (plural is null || kind is null || plural.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            kinds.TryAdd(kind, new ResourceMapping(apiVersion, kind, plural, resource?["namespaced"]?.GetValue<bool>() ?? false));
        }

        return kinds;
    }
}
