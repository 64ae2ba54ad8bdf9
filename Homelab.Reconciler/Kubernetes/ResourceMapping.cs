namespace Homelab.Reconciler.Kubernetes;

/// <summary>Where a kind lives in the REST API (what kubectl calls a REST mapping).</summary>
/// <param name="ApiVersion">"v1" or "group/version".</param>
/// <param name="Kind">The kind, e.g. "Deployment".</param>
/// <param name="Plural">The resource name in URLs, e.g. "deployments".</param>
/// <param name="Namespaced">Whether objects of this kind live in a namespace.</param>
public sealed record ResourceMapping(string ApiVersion, string Kind, string Plural, bool Namespaced)
{
    /// <summary>The API group ("" for core).</summary>
    public string Group => ApiVersions.GroupOf(ApiVersion);

    private string Prefix => ApiVersions.PathOf(ApiVersion);

    /// <summary>The collection URL: where to list, watch and create.</summary>
    public string CollectionPath(string? @namespace) =>
        Namespaced && !string.IsNullOrEmpty(@namespace) ? $"{Prefix}/namespaces/{@namespace}/{Plural}" : $"{Prefix}/{Plural}";

    /// <summary>One object's URL.</summary>
    public string ObjectPath(string? @namespace, string name) => $"{CollectionPath(@namespace)}/{Uri.EscapeDataString(name)}";
}
