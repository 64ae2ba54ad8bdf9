using Homelab.Defaults;
using k8s;
using k8s.Models;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// The in-cluster reconciler (<c>homelab-system</c>): its account, least-privilege RBAC derived from
/// the kinds the tree contains, its state volume, Deployment and Service. Its tokens come from the
/// Secret <c>homelab-reconciler</c>, created out of band (never in Git).
/// </summary>
internal static class ReconcilerManifests
{
    public const string Name = "homelab-reconciler";
    public const string SecretName = "homelab-reconciler";
    private const int HttpPort = 8080;

    /// <summary>Kinds the reconciler may manage, with their API group and resource name.</summary>
    private static readonly Dictionary<string, (string Group, string Resource)> Resources = new(StringComparer.Ordinal)
    {
        ["Namespace"] = (string.Empty, "namespaces"),
        ["Service"] = (string.Empty, "services"),
        ["ServiceAccount"] = (string.Empty, "serviceaccounts"),
        ["PersistentVolumeClaim"] = (string.Empty, "persistentvolumeclaims"),
        ["Deployment"] = ("apps", "deployments"),
        ["ClusterRole"] = ("rbac.authorization.k8s.io", "clusterroles"),
        ["ClusterRoleBinding"] = ("rbac.authorization.k8s.io", "clusterrolebindings"),
    };

    public static IReadOnlyList<IKubernetesObject> Create(PublishSettings settings, IEnumerable<string> kinds)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var labels = WorkloadTranslator.Labels(Name);
        var metadata = () => new V1ObjectMeta { Name = Name, NamespaceProperty = PublishSettings.SystemNamespace, Labels = labels };
        return
        [
            new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = metadata() },
            Role(kinds, labels),
            new V1ClusterRoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "ClusterRoleBinding",
                Metadata = new V1ObjectMeta { Name = Name, Labels = labels },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = Name },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = Name, NamespaceProperty = PublishSettings.SystemNamespace }],
            },
            new V1PersistentVolumeClaim
            {
                ApiVersion = "v1",
                Kind = "PersistentVolumeClaim",
                Metadata = new V1ObjectMeta { Name = $"{Name}-state", NamespaceProperty = PublishSettings.SystemNamespace, Labels = labels },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteOnce"],
                    Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("256Mi") } },
                },
            },
            Deployment(settings, metadata(), labels),
            new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = metadata(),
                Spec = new V1ServiceSpec
                {
                    Selector = WorkloadTranslator.Selector(Name),
                    Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http", Protocol = "TCP" }],
                },
            },
        ];
    }

    /// <summary>Only the resources the tree contains, with the verbs apply, prune and drift repair use.</summary>
    private static V1ClusterRole Role(IEnumerable<string> kinds, Dictionary<string, string> labels)
    {
        // Its own objects in homelab-system are managed from Git too.
        var rules = kinds.Concat(["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "PersistentVolumeClaim", "Service", "Deployment"])
            .Where(Resources.ContainsKey)
            .Select(k => Resources[k])
            .Distinct()
            .GroupBy(r => r.Group)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new V1PolicyRule
            {
                ApiGroups = [g.Key],
                Resources = [.. g.Select(r => r.Resource).Order(StringComparer.Ordinal)],
                // bind/escalate: it applies its own ClusterRole and binding from Git.
                Verbs = g.Key == "rbac.authorization.k8s.io"
                    ? ["get", "list", "watch", "create", "patch", "update", "delete", "bind", "escalate"]
                    : ["get", "list", "watch", "create", "patch", "update", "delete"],
            })
            .ToList();
        return new V1ClusterRole { ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRole", Metadata = new V1ObjectMeta { Name = Name, Labels = labels }, Rules = rules };
    }

    private static V1Deployment Deployment(PublishSettings settings, V1ObjectMeta metadata, Dictionary<string, string> labels)
    {
        V1EnvVar Secret(string name, string key, bool optional) =>
            new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = SecretName, Key = key, Optional = optional ? true : null } } };
        var probe = (string path, int delay) => new V1Probe { HttpGet = new V1HTTPGetAction { Path = path, Port = "http" }, InitialDelaySeconds = delay, PeriodSeconds = 10 };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = metadata,
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = WorkloadTranslator.Selector(Name) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = Name,
                        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 1654, RunAsGroup = 1654, FsGroup = 1654, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "reconciler",
                                Image = settings.ReconcilerImage,
                                // The image is built on the machine running the cluster (Docker Desktop): never pull a local tag.
                                ImagePullPolicy = "IfNotPresent",
                                Args = ["run"],
                                Env =
                                [
                                    new V1EnvVar { Name = "ASPNETCORE_HTTP_PORTS", Value = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                                    new V1EnvVar { Name = "Reconciler__Source", Value = settings.RepositoryUrl },
                                    new V1EnvVar { Name = "Reconciler__Ref", Value = settings.Branch },
                                    new V1EnvVar { Name = "Reconciler__Path", Value = settings.ClusterPath },
                                    new V1EnvVar { Name = "Reconciler__Interval", Value = settings.Interval },
                                    new V1EnvVar { Name = "Reconciler__StateDirectory", Value = "/var/lib/homelab" },
                                    Secret("GIT_TOKEN", "git-token", optional: true),
                                    Secret("Reconciler__ApiToken", "api-token", optional: false),
                                    Secret("Reconciler__WebhookSecret", "webhook-secret", optional: false),
                                ],
                                Ports = [new V1ContainerPort { Name = "http", ContainerPort = HttpPort, Protocol = "TCP" }],
                                VolumeMounts = [new V1VolumeMount { Name = "state", MountPath = "/var/lib/homelab" }],
                                // Ready while the process serves: a failed cycle (a broken commit) must not take the
                                // webhook out of the Service, since the push that fixes it arrives there.
                                ReadinessProbe = probe("/alive", 5),
                                LivenessProbe = probe("/alive", 10),
                                Resources = new V1ResourceRequirements
                                {
                                    // The original setup budgeted 100 MB for Flux.
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("20m"), ["memory"] = new("64Mi") },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new($"{ReconcilerDefaults.PodMemoryLimitMiB}Mi") },
                                },
                                SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Privileged = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                            },
                        ],
                        Volumes = [new V1Volume { Name = "state", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = $"{Name}-state" } }],
                    },
                },
            },
        };
    }
}
