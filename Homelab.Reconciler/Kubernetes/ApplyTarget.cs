using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>The object a server-side apply is sent to, and what the server stored of it when it was read.</summary>
/// <param name="Mapping">Where its kind lives in the REST API.</param>
/// <param name="Namespace">Its namespace; null for a cluster-scoped kind.</param>
/// <param name="Name">Its name.</param>
/// <param name="Live">The object as read from the server; null when it does not exist yet (the apply creates it).</param>
public sealed record ApplyTarget(ResourceMapping Mapping, string? Namespace, string Name, JsonObject? Live)
{
    /// <summary>The object's URL.</summary>
    public string Path => Mapping.ObjectPath(Namespace, Name);

    /// <summary>"Kind/namespace/name" as kubectl prints it.</summary>
    public override string ToString() => Namespace is null ? $"{Mapping.Kind}/{Name}" : $"{Mapping.Kind}/{Namespace}/{Name}";
}
