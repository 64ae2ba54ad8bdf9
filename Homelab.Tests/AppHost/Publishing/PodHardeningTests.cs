using k8s;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// The published pods as tight as their apps allow, read from the committed tree as `kubectl kustomize`
/// renders it: Pod Security levels (checked with <see cref="PodSecurityStandards"/>), read-only roots,
/// tokens, budgets, NetworkPolicies and node ports.
/// </summary>
public sealed class PodHardeningTests
{
    [Fact]
    public async Task Every_namespace_enforces_audits_and_warns_at_a_level_its_pods_meet()
    {
        var objects = await Publisher.RenderAsync(Publisher.Committed);
        var namespaces = objects.OfType<V1Namespace>().ToList();
        Assert.Equal(["homelab", "homelab-system"], namespaces.Select(n => n.Metadata.Name).Order(StringComparer.Ordinal));

        foreach (var ns in namespaces)
        {
            var labels = ns.Metadata.Labels;
            var level = labels["pod-security.kubernetes.io/enforce"];
            // The published pods all run as non-root with no host path: restricted, the tightest level.
            Assert.Equal("restricted", level);
            foreach (var mode in new[] { "enforce", "audit", "warn" })
            {
                Assert.Equal(level, labels[$"pod-security.kubernetes.io/{mode}"]);
                Assert.Equal("latest", labels[$"pod-security.kubernetes.io/{mode}-version"]);
            }

            var pods = Pods(objects, ns.Metadata.Name).ToList();
            Assert.NotEmpty(pods);
            Assert.All(pods, p => Assert.Empty(PodSecurityStandards.Violations(p.Spec, level)));
        }

        // The checker refuses what restricted refuses: the old tree's hostPath and a root container.
        var hostPath = new V1PodSpec { Containers = [Locked("c")], Volumes = [new V1Volume { Name = "m", HostPath = new V1HostPathVolumeSource { Path = "/music" } }], SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } } };
        Assert.Contains("hostPath volumes", PodSecurityStandards.Violations(hostPath, "baseline"));
        Assert.Contains("c: runAsNonRoot not true", PodSecurityStandards.Violations(new V1PodSpec { Containers = [Locked("c")] }, "restricted"));
    }

    [Fact]
    public void A_pod_not_made_to_run_as_non_root_lowers_its_namespace_to_baseline()
    {
        var nonRoot = new V1PodSpec { Containers = [Locked("a")], SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true } };
        var imageUser = new V1PodSpec { Containers = [Locked("b")], SecurityContext = new V1PodSecurityContext { RunAsNonRoot = false } };

        Assert.Equal("restricted", Homelab.AppHost.Publishing.PodSecurity.LevelFor([nonRoot]));
        Assert.Equal("baseline", Homelab.AppHost.Publishing.PodSecurity.LevelFor([nonRoot, imageUser]));
        // A pod that restricted refuses would never start in a restricted namespace.
        Assert.NotEmpty(PodSecurityStandards.Violations(imageUser, "restricted"));
        Assert.Empty(PodSecurityStandards.Violations(imageUser, "baseline"));
    }

    [Fact]
    public async Task The_reconciler_has_a_read_only_root_with_a_tmp_scratch_volume_and_keeps_its_token()
    {
        var objects = await Publisher.RenderAsync(Publisher.Committed);
        var pod = Pods(objects, "homelab-system").Single(p => p.Name == "homelab-reconciler").Spec;
        var reconciler = Assert.Single(pod.Containers);

        Assert.True(reconciler.SecurityContext.ReadOnlyRootFilesystem);
        var tmp = Assert.Single(reconciler.VolumeMounts, m => m.MountPath == "/tmp");
        Assert.NotNull(pod.Volumes.Single(v => v.Name == tmp.Name).EmptyDir?.SizeLimit);
        // It calls the API server with its ServiceAccount's token.
        Assert.NotEqual(false, pod.AutomountServiceAccountToken);
        Assert.Equal("homelab-reconciler", pod.ServiceAccountName);
        // Readiness means its last fetch reached Git and the API server; liveness that the reconcile loop can recover
        // (it fails only when the loop ended or stalled).
        Assert.Equal("/ready", reconciler.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/alive", reconciler.LivenessProbe.HttpGet.Path);
    }

    [Fact]
    public async Task App_pods_have_read_only_roots_no_token_and_every_container_a_budget()
    {
        var objects = await Publisher.RenderAsync(Publisher.Committed);
        var pods = Pods(objects, "homelab").ToList();
        Assert.Equal(["navidrome", "syncthing"], pods.Select(p => p.Name).Order(StringComparer.Ordinal));

        foreach (var (name, pod) in pods)
        {
            Assert.False(pod.AutomountServiceAccountToken, name);
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                Assert.True(container.SecurityContext.ReadOnlyRootFilesystem, $"{name}/{container.Name}");
                Assert.NotNull(container.Resources?.Requests?["memory"]);
                Assert.NotNull(container.Resources?.Limits?["memory"]);
                Assert.NotNull(container.Resources?.Limits?["cpu"]);
                // What the app writes is a volume: its claims, or an emptyDir at /tmp.
                Assert.All((container.VolumeMounts ?? []).Where(m => m.ReadOnlyProperty != true), m =>
                    Assert.True(pod.Volumes.Single(v => v.Name == m.Name) is { PersistentVolumeClaim: not null } or { EmptyDir: not null }, $"{name}/{container.Name} {m.MountPath}"));
            }
        }

        Assert.Contains(pods.Single(p => p.Name == "syncthing").Spec.InitContainers, c => c.Name == "syncthing-init");
    }

    [Fact]
    public async Task Each_namespace_denies_ingress_and_lets_in_only_its_services_ports_egress_stays_open()
    {
        var objects = await Publisher.RenderAsync(Publisher.Committed);
        var policies = objects.OfType<V1NetworkPolicy>().ToList();

        foreach (var ns in new[] { "homelab", "homelab-system" })
        {
            var deny = Assert.Single(policies, p => p.Metadata.NamespaceProperty == ns && p.Spec.PodSelector.MatchLabels is null && p.Spec.PodSelector.MatchExpressions is null);
            Assert.Equal(["Ingress"], deny.Spec.PolicyTypes);
            Assert.Null(deny.Spec.Ingress);

            // Per pod: the ports some policy lets in are exactly the target ports of the Services selecting it.
            foreach (var (name, pod) in Pods(objects, ns))
            {
                var labels = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == name).Spec.Template.Metadata.Labels;
                var allowed = policies
                    .Where(p => p.Metadata.NamespaceProperty == ns && Selects(p.Spec.PodSelector.MatchLabels, labels))
                    .SelectMany(p => p.Spec.Ingress ?? [])
                    .Select(rule =>
                    {
                        Assert.Null(rule.FromProperty);
                        return rule;
                    })
                    .SelectMany(rule => rule.Ports)
                    .Select(p => $"{p.Protocol}/{p.Port.Value}")
                    .Order(StringComparer.Ordinal);
                var served = objects.OfType<V1Service>()
                    .Where(s => s.Metadata.NamespaceProperty == ns && Selects(s.Spec.Selector, labels))
                    .SelectMany(s => s.Spec.Ports)
                    .Select(p => $"{p.Protocol}/{p.TargetPort.Value}")
                    .Order(StringComparer.Ordinal);
                Assert.Equal(served, allowed);
                Assert.NotEmpty(served);
            }
        }

        // Ingress only: the reconciler must still reach the API server and Git.
        Assert.All(policies, p => Assert.Equal(["Ingress"], p.Spec.PolicyTypes));
        // Navidrome's admin sidecar port is for the kubelet's probes only, which NetworkPolicy always lets in.
        Assert.DoesNotContain(policies.SelectMany(p => p.Spec.Ingress ?? []).SelectMany(r => r.Ports), p => p.Port.Value == "admin-ready");
    }

    [Fact]
    public async Task Services_are_cluster_internal_unless_node_ports_are_asked_for()
    {
        var objects = await Publisher.RenderAsync(Publisher.Committed);
        Assert.All(objects.OfType<V1Service>(), s => Assert.True(s.Spec.Type is null or "ClusterIP", $"{s.Metadata.Name}: {s.Spec.Type}"));
        Assert.All(objects.OfType<V1Service>().SelectMany(s => s.Spec.Ports), p => Assert.Null(p.NodePort));

        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        await Publisher.PublishAsync(output, "--Homelab:Publish:NodePorts=true");

        var navidrome = (await Publisher.RenderAsync(output)).OfType<V1Service>().Single(s => s.Metadata.Name == "navidrome");
        Assert.Equal("NodePort", navidrome.Spec.Type);
        Assert.Equal(30533, Assert.Single(navidrome.Spec.Ports).NodePort);
    }

    private static IEnumerable<(string Name, V1PodSpec Spec)> Pods(IEnumerable<IKubernetesObject> objects, string ns) =>
        objects.OfType<V1Deployment>().Where(d => d.Metadata.NamespaceProperty == ns).Select(d => (d.Metadata.Name, d.Spec.Template.Spec));

    private static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string> labels) =>
        selector is not null && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);

    private static V1Container Locked(string name) => new()
    {
        Name = name,
        SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
    };
}
