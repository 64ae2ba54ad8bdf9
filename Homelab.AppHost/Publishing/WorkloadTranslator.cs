using System.Globalization;
using k8s;
using k8s.Models;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// Turns one container resource of the model (and the init containers it waits for) into a Deployment,
/// a Service, the NetworkPolicy that lets the Service's ports in, and claims (<see cref="PersistentStorage"/>).
/// Secret parameters become <c>secretKeyRef</c>s to a Secret created out of band (<c>&lt;app&gt;-secrets</c>), never values
/// (optional ones with <see cref="OptionalSecretKeyAnnotation"/>).
/// </summary>
internal sealed class WorkloadTranslator(IReadOnlyDictionary<string, string> hostPaths, PublishSettings settings, PersistentStorage storage, List<string> errors)
{
    /// <summary>A scratch folder's ceiling: past it the kubelet evicts the pod rather than fill the node's disk.</summary>
    private const string ScratchSizeLimit = "256Mi";

    public const string PartOf = "homelab";
    private readonly DistributedApplicationExecutionContext _publish = new(DistributedApplicationOperation.Publish);

    public async Task<IReadOnlyList<IKubernetesObject>> TranslateAsync(ContainerResource resource, IReadOnlyList<ContainerResource> initResources, IReadOnlyList<ContainerResource>? sidecarResources = null)
    {
        var secretName = $"{resource.Name}-secrets";
        var volumes = new SortedDictionary<string, V1Volume>(StringComparer.Ordinal);
        var claims = new List<IKubernetesObject>();
        var runAs = resource.Annotations.OfType<RunAsAnnotation>().SingleOrDefault();
        var container = await ContainerAsync(resource, runAs, secretName, volumes, claims).ConfigureAwait(false);
        var initContainers = new List<V1Container>();
        foreach (var init in initResources)
        {
            initContainers.Add(await ContainerAsync(init, runAs, secretName, volumes, claims).ConfigureAwait(false));
        }

        var containers = new List<V1Container> { container };
        foreach (var other in sidecarResources ?? [])
        {
            containers.Add(await ContainerAsync(other, runAs, secretName, volumes, claims).ConfigureAwait(false));
        }

        if (resource.Annotations.OfType<FirstAdminSidecarAnnotation>().SingleOrDefault() is { } sidecar)
        {
            if (resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == sidecar.EndpointName)?.TargetPort is { } port)
            {
                containers.Add(FirstAdminSidecar.Create(settings, port));
            }
            else
            {
                errors.Add($"{resource.Name}: the first-admin sidecar's endpoint {sidecar.EndpointName} has no target port");
            }
        }

        var labels = Labels(resource.Name);
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = resource.Name, NamespaceProperty = PublishSettings.AppsNamespace, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                // One writer per volume: never two pods on the same database or config.
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = Selector(resource.Name) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        // The apps never call the API server: no token to steal from them.
                        AutomountServiceAccountToken = false,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = runAs is not null,
                            RunAsUser = runAs?.User,
                            RunAsGroup = runAs?.Group,
                            FsGroup = runAs?.Group,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        InitContainers = initContainers.Count == 0 ? null : initContainers,
                        Containers = containers,
                        Volumes = volumes.Count == 0 ? null : [.. volumes.Values],
                    },
                },
            },
        };

        var service = Service(resource);
        return [deployment, service, NetworkPolicies.AllowServicePorts(service), .. claims];
    }

    /// <summary>An <c>emptyDir</c> for a read-only container's scratch path.</summary>
    public static V1Volume ScratchVolume(string name) =>
        new() { Name = name, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(ScratchSizeLimit) } };

    private async Task<V1Container> ContainerAsync(ContainerResource resource, RunAsAnnotation? runAs, string secretName, SortedDictionary<string, V1Volume> volumes, List<IKubernetesObject> claims)
    {
        var image = resource.Annotations.OfType<ContainerImageAnnotation>().Single();
        var env = new List<V1EnvVar>();
        var environment = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(new EnvironmentCallbackContext(_publish, resource, environment)).ConfigureAwait(false);
        }

        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (await EnvVarAsync(resource, name, value, secretName).ConfigureAwait(false) is { } variable)
            {
                env.Add(variable);
            }
        }

        var args = new List<string>();
        var argValues = new List<object>();
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(new CommandLineArgsCallbackContext(argValues, resource)).ConfigureAwait(false);
        }

        foreach (var value in argValues)
        {
            switch (value)
            {
                case string text:
                    args.Add(text);
                    break;
                case ParameterResource { Secret: true } secret:
                    // Kubernetes expands $(VAR) in args: the secret stays in the Secret, not in Git.
                    var variable = EnvName(secret.Name);
                    env.Add(SecretEnv(variable, secretName, secret));
                    args.Add($"$({variable})");
                    break;
                case ParameterResource parameter:
                    args.Add(await parameter.GetValueAsync(default).ConfigureAwait(false) ?? string.Empty);
                    break;
                default:
                    errors.Add($"{resource.Name}: argument of type {value.GetType().Name} cannot be published");
                    break;
            }
        }

        var mounts = new List<V1VolumeMount>();
        // Host folders belong to the pod's user; without one (root) ownership needs nothing.
        var owner = (runAs?.User ?? 0, runAs?.Group ?? 0);
        foreach (var mount in resource.Annotations.OfType<ContainerMountAnnotation>().OrderBy(m => m.Target, StringComparer.Ordinal))
        {
            var volumeName = mount.Type == ContainerMountType.Volume ? ClaimName(mount) : $"{resource.Name}-{Path.GetFileName(mount.Target.TrimEnd('/')).ToLowerInvariant()}";
            mounts.Add(new V1VolumeMount { Name = volumeName, MountPath = mount.Target, ReadOnlyProperty = mount.IsReadOnly ? true : null });
            if (volumes.ContainsKey(volumeName))
            {
                continue;
            }

            if (mount.Type == ContainerMountType.Volume)
            {
                volumes[volumeName] = ClaimVolume(volumeName, readOnly: false);
                claims.AddRange(storage.NamedVolume(volumeName, PublishSettings.AppsNamespace, Labels(resource.Name), "1Gi", owner));
            }
            else if (mount.Source is { } source && hostPaths.TryGetValue(source, out var published))
            {
                if (HostPathTranslator.Translate(published, settings.Profile, out var error) is { } nodePath)
                {
                    volumes[volumeName] = ClaimVolume(volumeName, mount.IsReadOnly);
                    claims.AddRange(storage.HostFolder(volumeName, PublishSettings.AppsNamespace, Labels(resource.Name), nodePath, owner, writable: !mount.IsReadOnly));
                }
                else
                {
                    errors.Add($"{resource.Name}: bind mount {mount.Target}: {error}");
                }
            }
            else
            {
                errors.Add($"{resource.Name}: bind mount {mount.Target} comes from no publishable folder parameter");
            }
        }

        var readOnlyRoot = resource.Annotations.OfType<ReadOnlyRootAnnotation>().SingleOrDefault();
        foreach (var scratch in readOnlyRoot?.ScratchPaths ?? [])
        {
            var volumeName = $"{resource.Name}-{Path.GetFileName(scratch.TrimEnd('/')).ToLowerInvariant()}";
            mounts.Add(new V1VolumeMount { Name = volumeName, MountPath = scratch });
            volumes[volumeName] = ScratchVolume(volumeName);
        }

        var probe = resource.Annotations.OfType<HttpProbeAnnotation>().SingleOrDefault();
        var budget = resource.Annotations.OfType<ResourceBudgetAnnotation>().SingleOrDefault();
        return new V1Container
        {
            Name = resource.Name,
            Image = $"{image.Image}:{image.Tag}",
            Command = resource is ContainerResource { Entrypoint: { Length: > 0 } entrypoint } ? [entrypoint] : null,
            Args = args.Count == 0 ? null : args,
            Env = env.Count == 0 ? null : env,
            Ports = Ports(resource),
            VolumeMounts = mounts.Count == 0 ? null : mounts,
            ReadinessProbe = probe is null ? null : new V1Probe { HttpGet = new V1HTTPGetAction { Path = probe.Path, Port = probe.EndpointName }, PeriodSeconds = 10, FailureThreshold = 3 },
            LivenessProbe = probe is null ? null : new V1Probe { HttpGet = new V1HTTPGetAction { Path = probe.Path, Port = probe.EndpointName }, InitialDelaySeconds = 30, PeriodSeconds = 30, FailureThreshold = 5 },
            Resources = budget is null ? null : new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(budget.CpuRequest), ["memory"] = new(budget.MemoryRequest) },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(budget.CpuLimit), ["memory"] = new(budget.MemoryLimit) },
            },
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Privileged = false,
                ReadOnlyRootFilesystem = readOnlyRoot is null ? null : true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
        };
    }

    private static V1Volume ClaimVolume(string name, bool readOnly) =>
        new() { Name = name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = name, ReadOnlyProperty = readOnly ? true : null } };

    private async Task<V1EnvVar?> EnvVarAsync(ContainerResource resource, string name, object value, string secretName)
    {
        switch (value)
        {
            case string text:
                return new V1EnvVar { Name = name, Value = text };
            case ParameterResource { Secret: true } secret:
                return SecretEnv(name, secretName, secret);
            case ParameterResource parameter:
                return new V1EnvVar { Name = name, Value = await parameter.GetValueAsync(default).ConfigureAwait(false) };
            default:
                errors.Add($"{resource.Name}: environment variable {name} ({value.GetType().Name}) cannot be published");
                return null;
        }
    }

    private static V1EnvVar SecretEnv(string name, string secretName, ParameterResource secret) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource
        {
            SecretKeyRef = new V1SecretKeySelector
            {
                Name = secretName,
                Key = secret.Name,
                Optional = secret.Annotations.OfType<OptionalSecretKeyAnnotation>().Any() ? true : null,
            },
        },
    };

    private static List<V1ContainerPort>? Ports(ContainerResource resource)
    {
        var ports = resource.Annotations.OfType<EndpointAnnotation>()
            .Where(e => e.TargetPort is not null)
            .Select(e => new V1ContainerPort { Name = e.Name, ContainerPort = e.TargetPort!.Value, Protocol = Protocol(e) })
            .ToList();
        return ports.Count == 0 ? null : ports;
    }

    private V1Service Service(ContainerResource resource)
    {
        // A node port listens on every node IP: only when the user asks for it.
        var nodePorts = settings.NodePorts
            ? resource.Annotations.OfType<NodePortAnnotation>().ToDictionary(n => n.EndpointName, n => n.NodePort, StringComparer.Ordinal)
            : [];
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = resource.Name,
                NamespaceProperty = PublishSettings.AppsNamespace,
                Labels = Labels(resource.Name),
                Annotations = settings.Tailscale
                    ? new Dictionary<string, string> { ["tailscale.com/expose"] = "true", ["tailscale.com/hostname"] = resource.Name }
                    : null,
            },
            Spec = new V1ServiceSpec
            {
                Type = nodePorts.Count > 0 ? "NodePort" : "ClusterIP",
                Selector = Selector(resource.Name),
                Ports = resource.Annotations.OfType<EndpointAnnotation>()
                    .Where(e => e.TargetPort is not null)
                    .Select(e => new V1ServicePort
                    {
                        Name = e.Name,
                        Port = e.TargetPort!.Value,
                        TargetPort = e.Name,
                        Protocol = Protocol(e),
                        NodePort = nodePorts.TryGetValue(e.Name, out var nodePort) ? nodePort : null,
                    })
                    .ToList(),
            },
        };
    }

    /// <summary>"homelab-navidrome-data" (the local volume) is "navidrome-data" in the cluster's namespace.</summary>
    private static string ClaimName(ContainerMountAnnotation mount)
    {
        var source = mount.Source ?? "data";
        return source.StartsWith("homelab-", StringComparison.Ordinal) ? source["homelab-".Length..] : source;
    }

    private static string Protocol(EndpointAnnotation endpoint) => endpoint.Protocol == System.Net.Sockets.ProtocolType.Udp ? "UDP" : "TCP";

    private static string EnvName(string parameter) => parameter.Replace('-', '_').ToUpper(CultureInfo.InvariantCulture);

    public static Dictionary<string, string> Labels(string name) => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = name,
        ["app.kubernetes.io/part-of"] = PartOf,
        ["app.kubernetes.io/managed-by"] = "homelab-apphost",
    };

    public static Dictionary<string, string> Selector(string name) => new(StringComparer.Ordinal) { ["app.kubernetes.io/name"] = name };
}
