using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// Identifies one object the reconciler manages: apiVersion, kind, namespace and name. Equality ignores
/// the version (a Deployment moved from apps/v1beta1 to apps/v1 is the same object), as Flux's inventory does.
/// </summary>
public sealed record ObjectReference(string ApiVersion, string Kind, string? Namespace, string Name)
{
    /// <summary>The API group ("" for core).</summary>
    public string Group => Kubernetes.ApiVersions.GroupOf(ApiVersion);

    /// <summary>"group/Kind/namespace/name": stable, version-free, sortable.</summary>
    public string Id => $"{Group}/{Kind}/{Namespace}/{Name}";

    public static ObjectReference Of(JsonObject manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new ObjectReference(
            manifest["apiVersion"]?.GetValue<string>() ?? string.Empty,
            manifest["kind"]?.GetValue<string>() ?? string.Empty,
            manifest["metadata"]?["namespace"]?.GetValue<string>() is { Length: > 0 } ns ? ns : null,
            manifest["metadata"]?["name"]?.GetValue<string>() ?? string.Empty);
    }

    public bool Equals(ObjectReference? other) => other is not null && string.Equals(Id, other.Id, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);

    /// <summary>"Kind/namespace/name" as kubectl prints it.</summary>
    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
