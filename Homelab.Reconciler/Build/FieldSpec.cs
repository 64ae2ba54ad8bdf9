namespace Homelab.Reconciler.Build;

/// <summary>A field kustomize writes into, for objects of a given group and kind (empty matches any).</summary>
internal sealed record FieldSpec(string Path, bool Create, string Kind = "", string Group = "", string Version = "")
{
    public bool Selects(Resource resource) =>
        (Kind.Length == 0 || Kind == resource.Kind)
        && (Group.Length == 0 || Group == resource.Group)
        && (Version.Length == 0 || Version == resource.Version);
}
