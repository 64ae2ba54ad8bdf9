namespace Homelab.Kustomize;

/// <summary>Applies a <c>replicas</c> entry (or a <c>ReplicaCountTransformer</c> config) to the objects it names, at its field specs.</summary>
internal static class ReplicaCountTransformer
{
    public static readonly FieldSpec[] Defaults =
    [
        .. new[] { "Deployment", "ReplicationController", "ReplicaSet", "StatefulSet" }.Select(k => new FieldSpec("spec/replicas", true, k)),
    ];

    public static void Apply(IEnumerable<Resource> resources, string name, long count, IReadOnlyList<FieldSpec> specs)
    {
        foreach (var resource in resources.Where(r => r.HadName(name)))
        {
            foreach (var spec in specs.Where(s => s.Selects(resource)))
            {
                FieldPaths.Visit(resource.Content, spec.Path, spec.Create, (p, k) => p[k] = count);
            }
        }
    }
}
