using Homelab.Defaults;
using k8s;
using k8s.Models;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// The in-cluster reconciler (<c>homelab-system</c>): its account and RBAC, its state volume, the private
/// Git CA when given, its Deployment, Service and NetworkPolicy. Its tokens come from the Secret
/// <c>homelab-reconciler</c>, created out of band (never in Git).
/// </summary>
internal static class ReconcilerManifests
{
    public const string Name = "homelab-reconciler";
    public const string SecretName = "homelab-reconciler";

    /// <summary>The reconciler image's user (the .NET images' "app"), also the first-admin sidecar's.</summary>
    public const long ImageUser = 1654;

    /// <summary>Why the reconciler may do anything: written above the RBAC objects in the published file.</summary>
    public const string RbacComment =
        """
        # The reconciler applies whatever Git holds, of any kind (ConfigMaps, Secrets, CronJobs, Ingresses,
        # NetworkPolicies, CRDs and their objects, RBAC), and prunes it again. A narrower role would only
        # look safer: a role that may write RBAC can grant itself anything (bind/escalate). So, as Flux's
        # kustomize-controller is bound to cluster-admin, it may do everything: whoever can push to the
        # branch it follows can do anything in this cluster. Protect that branch, and give the reconciler a
        # read-only Git token. To narrow it, patch this ClusterRole's rules in ../kustomization.yaml: kinds
        # it may not write then fail their cycle with the API server's Forbidden.

        """;

    /// <summary>Where the private Git CA is mounted; the reconciler reads <c>Reconciler:CaFile</c>.</summary>
    public const string GitCaFolder = "/etc/homelab/git-ca";

    public const string GitCaConfigMap = "homelab-git-ca";

    private const int HttpPort = 8080;
    private const string StatePath = "/var/lib/homelab";

    public static IReadOnlyList<IKubernetesObject> Create(PublishSettings settings, PersistentStorage storage, string? gitCaPem)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(storage);
        var labels = WorkloadTranslator.Labels(Name);
        var metadata = () => new V1ObjectMeta { Name = Name, NamespaceProperty = PublishSettings.SystemNamespace, Labels = labels };
        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = metadata(),
            Spec = new V1ServiceSpec
            {
                Selector = WorkloadTranslator.Selector(Name),
                Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = "http", Protocol = "TCP" }],
            },
        };
        return
        [
            new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = metadata() },
            Role(labels),
            new V1ClusterRoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "ClusterRoleBinding",
                Metadata = new V1ObjectMeta { Name = Name, Labels = labels },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = Name },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = Name, NamespaceProperty = PublishSettings.SystemNamespace }],
            },
            .. storage.NamedVolume($"{Name}-state", PublishSettings.SystemNamespace, labels, "256Mi", (ImageUser, ImageUser)),
            .. gitCaPem is null ? Array.Empty<IKubernetesObject>() : [GitCa(gitCaPem, labels)],
            Deployment(settings, metadata(), labels, gitCaPem is not null),
            service,
            NetworkPolicies.AllowServicePorts(service),
        ];
    }

    /// <summary>
    /// Every verb on every resource of every API group: cluster-admin's rules, under our own name (the
    /// binding's roleRef cannot change, so the name stays that of the older per-kind role). See <see cref="RbacComment"/>.
    /// </summary>
    private static V1ClusterRole Role(Dictionary<string, string> labels) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRole",
        Metadata = new V1ObjectMeta { Name = Name, Labels = labels },
        Rules = [new V1PolicyRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] }],
    };

    /// <summary>A CA certificate is public: it belongs in Git like the rest of the tree.</summary>
    private static V1ConfigMap GitCa(string pem, Dictionary<string, string> labels) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = GitCaConfigMap, NamespaceProperty = PublishSettings.SystemNamespace, Labels = labels },
        Data = new Dictionary<string, string> { ["ca.crt"] = pem },
    };

    private static V1Deployment Deployment(PublishSettings settings, V1ObjectMeta metadata, Dictionary<string, string> labels, bool gitCa)
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
                // One process per state directory: the old pod stops before the new one starts. So a bad
                // change to this Deployment replaces the pod, and `bootstrap` from a fixed checkout
                // replaces it again: nothing here (no pause, no surge waiting on the old pod) blocks that.
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = WorkloadTranslator.Selector(Name) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = Name,
                        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = ImageUser, RunAsGroup = ImageUser, FsGroup = ImageUser, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
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
                                    new V1EnvVar { Name = "Reconciler__StateDirectory", Value = StatePath },
                                    .. gitCa ? [new V1EnvVar { Name = "Reconciler__CaFile", Value = $"{GitCaFolder}/ca.crt" }] : Array.Empty<V1EnvVar>(),
                                    new V1EnvVar { Name = "Reconciler__AgeKeyFile", Value = $"{ReconcilerDefaults.AgeKeyFolder}/{ReconcilerDefaults.AgeKeySecretKey}" },
                                    Secret("GIT_TOKEN", "git-token", optional: true),
                                    Secret("Reconciler__ApiToken", "api-token", optional: false),
                                    Secret("Reconciler__WebhookSecret", "webhook-secret", optional: false),
                                    .. NotifyEnvironment(settings.Notify),
                                ],
                                Ports = [new V1ContainerPort { Name = "http", ContainerPort = HttpPort, Protocol = "TCP" }],
                                VolumeMounts =
                                [
                                    new V1VolumeMount { Name = "state", MountPath = StatePath },
                                    new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                                    new V1VolumeMount { Name = "age-key", MountPath = ReconcilerDefaults.AgeKeyFolder, ReadOnlyProperty = true },
                                    .. gitCa ? [new V1VolumeMount { Name = "git-ca", MountPath = GitCaFolder, ReadOnlyProperty = true }] : Array.Empty<V1VolumeMount>(),
                                    .. settings.Notify is { Token: true } ? [new V1VolumeMount { Name = "notify-token", MountPath = ReconcilerDefaults.NotifyTokenFolder, ReadOnlyProperty = true }] : Array.Empty<V1VolumeMount>(),
                                ],
                                // Ready when its last fetch reached Git and the API server; a broken commit keeps it
                                // ready, so the webhook that brings the fix stays in the Service.
                                ReadinessProbe = probe(ProbePaths.Ready, 5),
                                LivenessProbe = probe(ProbePaths.Alive, 10),
                                Resources = new V1ResourceRequirements
                                {
                                    // The original setup budgeted 100 MB for Flux.
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("20m"), ["memory"] = new("64Mi") },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new($"{ReconcilerDefaults.PodMemoryLimitMiB}Mi") },
                                },
                                // Pod Security "restricted", and a read-only root: it writes only its state and /tmp.
                                SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Privileged = false, ReadOnlyRootFilesystem = true, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                            },
                        ],
                        Volumes =
                        [
                            new V1Volume { Name = "state", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = $"{Name}-state" } },
                            WorkloadTranslator.ScratchVolume("tmp"),
                            // Optional: a cluster without encrypted manifests (or before bootstrap --age-key-file) still starts.
                            new V1Volume { Name = "age-key", Secret = new V1SecretVolumeSource { SecretName = ReconcilerDefaults.AgeKeySecret, Optional = true, DefaultMode = Convert.ToInt32("440", 8) } },
                            .. gitCa ? [new V1Volume { Name = "git-ca", ConfigMap = new V1ConfigMapVolumeSource { Name = GitCaConfigMap } }] : Array.Empty<V1Volume>(),
                            // Optional: without the Secret the reconciler says in one line that Reconciler:Notify:TokenFile is missing.
                            .. settings.Notify is { Token: true } ? [new V1Volume { Name = "notify-token", Secret = new V1SecretVolumeSource { SecretName = ReconcilerDefaults.NotifyTokenSecret, Optional = true, DefaultMode = Convert.ToInt32("440", 8) } }] : Array.Empty<V1Volume>(),
                        ],
                    },
                },
            },
        };
    }

    /// <summary>The notification settings, when published: the URL and kind as values, the token as a file from its Secret.</summary>
    private static IEnumerable<V1EnvVar> NotifyEnvironment(PublishedNotify? notify)
    {
        if (notify is null)
        {
            yield break;
        }

        yield return new V1EnvVar { Name = "Reconciler__Notify__Url", Value = notify.Url };
        yield return new V1EnvVar { Name = "Reconciler__Notify__Kind", Value = notify.Kind };
        if (notify.Token)
        {
            yield return new V1EnvVar { Name = "Reconciler__Notify__TokenFile", Value = $"{ReconcilerDefaults.NotifyTokenFolder}/{ReconcilerDefaults.NotifyTokenSecretKey}" };
        }
    }
}
