namespace Homelab.Kustomize;

/// <summary>
/// Where kustomize substitutes <c>$(VAR)</c> by default (its built-in <c>varReference</c> config, as kubectl v5.5 has it):
/// container commands, args, env values and mount paths of workloads, NFS servers, Ingress hosts, Service ports, and the
/// objects' own labels and annotations. Pod template labels and ReplicationControllers are not among them.
/// </summary>
internal static class VarReferenceFields
{
    public static readonly FieldSpec[] Defaults = Build();

    private static FieldSpec[] Build()
    {
        var specs = new List<FieldSpec>();
        foreach (var kind in new[] { "CronJob", "DaemonSet", "Deployment", "Job", "Pod", "ReplicaSet", "StatefulSet" })
        {
            var pod = KindRules.PodSpecPath(kind)!;
            foreach (var containers in new[] { "containers", "initContainers" })
            {
                foreach (var field in new[] { "args", "command", "env/value", "volumeMounts/mountPath" })
                {
                    specs.Add(new($"{pod}/{containers}/{field}", false, kind));
                }
            }
            // kustomize's CronJob entry lacks the pod spec's "spec/" (so it never matches) and StatefulSet's names the claim templates.
            specs.Add(kind switch
            {
                "CronJob" => new("spec/jobTemplate/spec/template/volumes/nfs/server", false, kind),
                "StatefulSet" => new("spec/volumeClaimTemplates/spec/nfs/server", false, kind),
                _ => new($"{pod}/volumes/nfs/server", false, kind),
            });
        }
        specs.Add(new("spec/template/metadata/annotations", false, "Deployment"));
        specs.Add(new("spec/rules/host", false, "Ingress"));
        specs.Add(new("spec/tls/hosts", false, "Ingress"));
        specs.Add(new("spec/tls/secretName", false, "Ingress"));
        specs.Add(new("spec/ports/port", false, "Service"));
        specs.Add(new("spec/ports/targetPort", false, "Service"));
        specs.Add(new("spec/nfs/server", false, "PersistentVolume"));
        specs.Add(new("metadata/labels", false));
        specs.Add(new("metadata/annotations", false));
        return [.. specs];
    }
}
