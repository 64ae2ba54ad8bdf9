namespace Homelab.Kustomize;

/// <summary>Identity of an object for duplicate detection: group, kind, namespace, name (version ignored).</summary>
internal readonly record struct ResourceId(string Group, string Kind, string Namespace, string Name)
{
    public override string ToString() =>
        $"{(Group.Length == 0 ? "" : Group + "/")}{Kind} {(Namespace.Length == 0 ? "" : Namespace + "/")}{Name}";
}
