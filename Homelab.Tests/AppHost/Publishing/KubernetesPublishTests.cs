using System.Text.Json.Nodes;
using Homelab.Kustomize;
using Homelab.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>The publish step: real `dotnet run … --operation publish`, real `kubectl kustomize`, the typed Kubernetes model.</summary>
public sealed class KubernetesPublishTests
{
    private static readonly string Committed = Path.Combine(TestPaths.RepositoryRoot, "clusters", "my-laptop");

    [Fact]
    public async Task Publishing_reproduces_the_committed_cluster_byte_for_byte_and_twice_the_same()
    {
        var first = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        var second = Directory.CreateTempSubdirectory("homelab-publish-").FullName;

        // The example follows the placeholder; a clone's own origin would be the default otherwise.
        await Publisher.PublishAsync(first, Publisher.ExampleRepository);
        await Publisher.PublishAsync(second, Publisher.ExampleRepository);

        var committed = Publisher.ReadTree(Committed);
        var published = Publisher.ReadTree(first);
        Assert.Equal(committed.Keys, published.Keys);
        foreach (var (path, bytes) in committed)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(published[path]), $"{path} differs from the committed clusters/my-laptop: run the publish command in README");
        }

        Assert.Equal(published.Keys, Publisher.ReadTree(second).Keys);
        Assert.All(published, p => Assert.True(p.Value.AsSpan().SequenceEqual(Publisher.ReadTree(second)[p.Key]), p.Key));
    }

    [Fact]
    public async Task Kubectl_kustomize_accepts_the_tree_and_our_build_gives_the_same_objects()
    {
        var kubectl = await RunAsync("kubectl", "kustomize", Committed);
        var theirs = new YamlToJson("kubectl", BuildLimits.Default).ReadDocuments(kubectl).OfType<JsonObject>().ToList();
        var ours = new KustomizeBuilder(BuildLimits.Default).Build(TestPaths.RepositoryRoot, "clusters/my-laptop");

        Assert.Equal(27, theirs.Count);
        Assert.Equal(theirs.Count, ours.Count);
        foreach (var (expected, actual) in theirs.Zip(ours))
        {
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{expected["kind"]}/{expected["metadata"]?["name"]} differs");
        }
    }

    [Fact]
    public async Task Every_object_fits_the_typed_model_with_no_unknown_field()
    {
        var yaml = await RunAsync("kubectl", "kustomize", Committed);

        var objects = KubernetesYaml.LoadAllFromString(yaml, strict: true);

        Assert.Equal(27, objects.Count);
        Assert.DoesNotContain(objects, o => o is V1Secret);
    }

    [Fact]
    public async Task Containers_are_locked_down_probed_and_budgeted_and_named_volumes_are_claims()
    {
        var objects = KubernetesYaml.LoadAllFromString(await RunAsync("kubectl", "kustomize", Committed), strict: true);
        var deployments = objects.OfType<V1Deployment>().ToList();
        Assert.Equal(["homelab-reconciler", "navidrome", "syncthing"], deployments.Select(d => d.Metadata.Name).Order(StringComparer.Ordinal));

        foreach (var deployment in deployments)
        {
            var pod = deployment.Spec.Template.Spec;
            Assert.Equal("Recreate", deployment.Spec.Strategy.Type);
            Assert.True(pod.SecurityContext.RunAsNonRoot, deployment.Metadata.Name);
            Assert.Null(pod.HostNetwork);
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
                Assert.False(container.SecurityContext.Privileged);
                Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
                Assert.Null(container.SecurityContext.Capabilities.Add);
            }

            // Every container that serves is probed (the backup sidecar serves nothing); every one has a budget.
            foreach (var container in pod.Containers.Where(c => c.Ports is not null))
            {
                Assert.NotNull(container.ReadinessProbe?.HttpGet);
                Assert.NotNull(container.LivenessProbe?.HttpGet);
            }

            foreach (var container in pod.Containers)
            {
                Assert.NotNull(container.Resources.Limits["memory"]);
                Assert.NotNull(container.Resources.Requests["cpu"]);
            }

            // emptyDir only as a read-only container's scratch /tmp, never for a named volume.
            var scratch = (pod.Volumes ?? []).Where(v => v.EmptyDir is not null).Select(v => v.Name).ToHashSet();
            Assert.All(pod.Containers.Concat(pod.InitContainers ?? []).SelectMany(c => c.VolumeMounts ?? []).Where(m => scratch.Contains(m.Name)), m => Assert.Equal("/tmp", m.MountPath));
            foreach (var claim in (pod.Volumes ?? []).Where(v => v.PersistentVolumeClaim is not null))
            {
                Assert.Contains(objects.OfType<V1PersistentVolumeClaim>(), c => c.Metadata.Name == claim.PersistentVolumeClaim.ClaimName);
            }

            Assert.Equal(deployment.Metadata.Name, deployment.Spec.Template.Metadata.Labels["app.kubernetes.io/name"]);
        }

        var navidrome = deployments.Single(d => d.Metadata.Name == "navidrome").Spec.Template.Spec;
        var music = navidrome.Containers[0].VolumeMounts.Single(m => m.MountPath == "/music");
        Assert.True(music.ReadOnlyProperty);
        var musicClaim = navidrome.Volumes.Single(v => v.Name == music.Name).PersistentVolumeClaim.ClaimName;
        var musicVolume = objects.OfType<V1PersistentVolume>().Single(v => v.Spec.ClaimRef.Name == musicClaim);
        Assert.Equal("/run/desktop/mnt/host/c/Users/username/Music", musicVolume.Spec.HostPath.Path);
        var service = objects.OfType<V1Service>().Single(s => s.Metadata.Name == "navidrome");
        Assert.Equal("ClusterIP", service.Spec.Type);
        Assert.Null(Assert.Single(service.Spec.Ports).NodePort);
        var syncthing = objects.OfType<V1Service>().Single(s => s.Metadata.Name == "syncthing");
        Assert.Equal(["TCP/8384", "TCP/22000", "UDP/22000", "UDP/21027"], syncthing.Spec.Ports.Select(p => $"{p.Protocol}/{p.Port}"));
    }

    [Fact]
    public async Task Navidrome_stays_out_of_its_service_until_the_admin_sidecar_reports_the_owners_admin()
    {
        var objects = KubernetesYaml.LoadAllFromString(await RunAsync("kubectl", "kustomize", Committed), strict: true);
        var deployment = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "navidrome");
        var pod = deployment.Spec.Template.Spec;
        Assert.Equal(["navidrome", "admin"], pod.Containers.Select(c => c.Name));
        var admin = pod.Containers[1];

        // The reconciler's image and verb, pointed at Navidrome over the pod's loopback; no credential in args.
        Assert.Equal("docker.io/library/homelab-reconciler:0.1.0", admin.Image);
        Assert.Equal("IfNotPresent", admin.ImagePullPolicy);
        Assert.Equal(["navidrome-first-admin", "--url", "http://127.0.0.1:4533", "--ready-port", "4599"], admin.Args);
        Assert.Null(admin.Command);

        // Readiness is the sidecar's /ready on the port the verb serves.
        var readyPort = Assert.Single(admin.Ports);
        Assert.Equal(4599, readyPort.ContainerPort);
        Assert.Null(readyPort.HostPort);
        Assert.Equal("/ready", admin.ReadinessProbe.HttpGet.Path);
        Assert.Equal(readyPort.Name, admin.ReadinessProbe.HttpGet.Port.Value);
        Assert.Equal("/alive", admin.LivenessProbe.HttpGet.Path);

        // Credentials only from navidrome-secrets, required (the pod does not start without them).
        var credentials = admin.Env.Where(e => e.Name.StartsWith("NAVIDROME_ADMIN_", StringComparison.Ordinal)).ToList();
        Assert.Equal(["NAVIDROME_ADMIN_USER", "NAVIDROME_ADMIN_PASSWORD"], credentials.Select(e => e.Name));
        Assert.All(credentials, e => Assert.Null(e.Value));
        Assert.Equal(["navidrome-secrets/navidrome-admin-user", "navidrome-secrets/navidrome-admin-password"], credentials.Select(e => $"{e.ValueFrom.SecretKeyRef.Name}/{e.ValueFrom.SecretKeyRef.Key}"));
        Assert.All(credentials, e => Assert.NotEqual(true, e.ValueFrom.SecretKeyRef.Optional));

        // Small and locked down.
        Assert.Equal(new ResourceQuantity("96Mi"), admin.Resources.Limits["memory"]);
        Assert.True(admin.SecurityContext.RunAsNonRoot);
        Assert.Equal(1654, admin.SecurityContext.RunAsUser);
        Assert.True(admin.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(admin.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], admin.SecurityContext.Capabilities.Drop);

        // Navidrome itself is reachable only through the Service, which only routes to Ready pods.
        var navidrome = pod.Containers[0];
        Assert.Equal(4533, Assert.Single(navidrome.Ports).ContainerPort);
        Assert.Null(navidrome.Ports[0].HostPort);
        Assert.Null(pod.HostNetwork);
        var service = objects.OfType<V1Service>().Single(s => s.Metadata.Name == "navidrome");
        Assert.All(service.Spec.Selector, l => Assert.Equal(l.Value, deployment.Spec.Template.Metadata.Labels[l.Key]));
        Assert.NotEqual(true, service.Spec.PublishNotReadyAddresses);
        Assert.Equal(["http"], service.Spec.Ports.Select(p => p.TargetPort.Value));
    }

    [Fact]
    public async Task Secrets_are_only_secret_key_refs_and_no_given_secret_value_reaches_the_tree()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        var values = AppHostModel.SecretParameters.ToDictionary(p => p, p => $"S3cret-{p}-{Guid.NewGuid():N}");

        await Publisher.PublishAsync(output, [.. values.Select(v => $"--Parameters:{v.Key}={v.Value}")]);

        var tree = Publisher.ReadTree(output);
        foreach (var (path, bytes) in tree)
        {
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            Assert.All(values.Values, v => Assert.DoesNotContain(v, text, StringComparison.Ordinal));
            Assert.DoesNotContain("kind: Secret\n", text, StringComparison.Ordinal);
        }

        var objects = KubernetesYaml.LoadAllFromString(await RunAsync("kubectl", "kustomize", output), strict: true);
        foreach (var container in objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers.Concat(d.Spec.Template.Spec.InitContainers ?? [])))
        {
            // A *File setting names a mounted Secret's file (Reconciler__AgeKeyFile), not a value.
            foreach (var env in (container.Env ?? []).Where(e => !e.Name.EndsWith("File", StringComparison.Ordinal)).Where(e => e.Name.Contains("KEY", StringComparison.OrdinalIgnoreCase) || e.Name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || e.Name.Contains("TOKEN", StringComparison.OrdinalIgnoreCase) || e.Name.Contains("SECRET", StringComparison.OrdinalIgnoreCase)))
            {
                Assert.Null(env.Value);
                Assert.NotNull(env.ValueFrom?.SecretKeyRef);
            }
        }
    }

    [Fact]
    public async Task Publishing_over_a_tree_removes_what_it_no_longer_generates_and_keeps_user_files()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        await Publisher.PublishAsync(output);
        File.WriteAllText(Path.Combine(output, "apps", "my-notes.md"), "mine");

        await Publisher.PublishAsync(output, "--Homelab:Navidrome:Enabled=false");

        Assert.False(Directory.Exists(Path.Combine(output, "apps", "navidrome")));
        Assert.True(File.Exists(Path.Combine(output, "apps", "my-notes.md")));
        Assert.DoesNotContain("navidrome", File.ReadAllText(Path.Combine(output, "apps", "kustomization.yaml")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "apps", "syncthing", "deployment.yaml")));
    }

    [Fact]
    public async Task Tailscale_exposure_annotates_the_app_services()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;

        await Publisher.PublishAsync(output, "--Homelab:Publish:Tailscale=true");

        var service = KubernetesYaml.Deserialize<V1Service>(File.ReadAllText(Path.Combine(output, "apps", "navidrome", "service.yaml")));
        Assert.Equal("true", service.Metadata.Annotations["tailscale.com/expose"]);
        Assert.Equal("navidrome", service.Metadata.Annotations["tailscale.com/hostname"]);
    }

    private static Task<string> RunAsync(string file, params string[] args) => ProcessRunner.RunAsync(file, args);
}
