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

    /// <summary>
    /// Every kind the server serves that can be listed and deleted, in each group's preferred version:
    /// where objects we applied could be, for rebuilding a lost inventory.
    /// </summary>
    public async Task<IReadOnlyList<ResourceMapping>> AllListableAsync(CancellationToken cancellationToken)
    {
        var versions = new List<string>();
        if (await GetOrNullAsync("/api", cancellationToken).ConfigureAwait(false) is { } core)
        {
            versions.AddRange(core["versions"]?.AsArray().Select(v => v?.GetValue<string>()).OfType<string>() ?? []);
        }

        if (await GetOrNullAsync("/apis", cancellationToken).ConfigureAwait(false) is { } groups)
        {
            versions.AddRange(groups["groups"]?.AsArray().Select(g => g?["preferredVersion"]?["groupVersion"]?.GetValue<string>()).OfType<string>() ?? []);
        }

        var mappings = new List<ResourceMapping>();
        foreach (var apiVersion in versions.Distinct(StringComparer.Ordinal))
        {
            var list = await GetOrNullAsync(ApiVersions.PathOf(apiVersion), cancellationToken).ConfigureAwait(false);
            foreach (var resource in list?["resources"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                var verbs = resource["verbs"]?.AsArray().Select(v => v?.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
                if (Mapping(apiVersion, resource) is { } mapping && verbs.Contains("list") && verbs.Contains("delete"))
                {
                    mappings.Add(mapping);
                }
            }
        }

        return mappings;
    }

    private async Task<JsonObject?> GetOrNullAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await api.GetAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return null;
        }
    }

    /// <summary>The mapping of one entry of a resource list; null for sub-resources ("deployments/status"), which share the kind.</summary>
    private static ResourceMapping? Mapping(string apiVersion, JsonObject resource) =>
        resource["name"]?.GetValue<string>() is { } plural && resource["kind"]?.GetValue<string>() is { } kind && !plural.Contains('/', StringComparison.Ordinal)
            ? new ResourceMapping(apiVersion, kind, plural, resource["namespaced"]?.GetValue<bool>() ?? false)
            : null;

    private async Task<IReadOnlyDictionary<string, ResourceMapping>?> LoadAsync(string apiVersion, CancellationToken cancellationToken)
    {
        JsonObject? list;
        try
        {
            list = await api.GetAsync(ApiVersions.PathOf(apiVersion), cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var kinds = new Dictionary<string, ResourceMapping>(StringComparer.Ordinal);
        foreach (var resource in list?["resources"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (Mapping(apiVersion, resource) is { } mapping)
            {
                kinds.TryAdd(mapping.Kind, mapping);
            }
        }

        return kinds;
    }
}
