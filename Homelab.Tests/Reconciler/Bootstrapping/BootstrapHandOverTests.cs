using System.Text.Json.Nodes;
using Homelab.Reconciler.Bootstrapping;
using Homelab.Reconciler.Cli;
using Homelab.Reconciler.Inventory;
using Homelab.Tests.AppHost;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

using Homelab.Tests.Reconciler.Cli;

namespace Homelab.Tests.Reconciler.Bootstrapping;

/// <summary>
/// Bootstrap as README runs it and as it hands over: `dotnet run` starts it where the user is, it finds the
/// repository from there, refuses a tree that follows the placeholder repository, labels what Git holds with the
/// owner the in-cluster reconciler will use, and waits for that reconciler's first cycle (DCP has no core/v1 or
/// apps/v1: the wait runs against a fake API server, and a real node's captured pod).
/// </summary>
public sealed class BootstrapHandOverTests
{
    private const string Cluster = "clusters/my-laptop";
    /// <summary>The Service's proxy: a real API server answers 503 while the pod is unready, as it is when Git is out of reach.</summary>
    private const string ServiceStatusPath = "/api/v1/namespaces/homelab-system/services/homelab-reconciler:http/proxy/status";
    /// <summary>The captured reconciler pod's proxy, on the Deployment's container port: it answers ready or not.</summary>
    private const string PodStatusPath = "/api/v1/namespaces/homelab-system/pods/homelab-reconciler-8974845f9-s5kw8:8080/proxy/status";
    private const string NoEndpoints = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"no endpoints available for service \"homelab-reconciler:http\"","reason":"ServiceUnavailable","code":503}""";
    private const string DeploymentPath = "/apis/apps/v1/namespaces/homelab-system/deployments/homelab-reconciler";
    private const string PodsPath = "/api/v1/namespaces/homelab-system/pods";

    [Fact]
    public async Task Dotnet_run_starts_the_reconciler_in_the_users_directory_not_its_project_folder()
    {
        var property = await ProcessRunner.RunAsync("dotnet", ["msbuild", Path.Combine(TestPaths.RepositoryRoot, "Homelab.Reconciler", "Homelab.Reconciler.csproj"), "-getProperty:RunWorkingDirectory", "-nologo"]);

        // Empty: `dotnet run` keeps the directory it was started in (the Web SDK's default is the project folder).
        Assert.Equal(string.Empty, property.Trim());
    }

    [Fact]
    public async Task Without_repository_bootstrap_reads_the_git_repository_holding_the_current_directory()
    {
        var secrets = SecretsFile();
        var below = Path.Combine(TestPaths.RepositoryRoot, Cluster);

        var inside = await ProcessRunner.RunToExitAsync("dotnet", [TestPaths.ReconcilerDll, "bootstrap", "--path", Cluster, "--secrets-file", secrets, "--dry-run"], workingDirectory: below);
        var outside = await ProcessRunner.RunToExitAsync("dotnet", [TestPaths.ReconcilerDll, "bootstrap", "--path", Cluster, "--secrets-file", secrets, "--dry-run"], workingDirectory: Directory.CreateTempSubdirectory("homelab-nowhere-").FullName);

        Assert.Equal(0, inside.ExitCode);
        Assert.Contains("kind: Deployment", inside.Output, StringComparison.Ordinal);
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("is not inside a Git repository: run bootstrap from your clone of the repository, or pass --repository", outside.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tree_that_follows_the_placeholder_repository_is_refused_naming_the_setting_before_any_cluster_is_contacted()
    {
        var nowhere = Path.Combine(Directory.CreateTempSubdirectory("homelab-absent-").FullName, "kubeconfig");

        var refused = await ReconcileOnceTests.RunCliAsync("bootstrap", "--repository", TestPaths.RepositoryRoot, "--path", Cluster, "--secrets-file", SecretsFile(), "--kubeconfig", nowhere);
        var dryRun = await ReconcileOnceTests.RunCliAsync("bootstrap", "--repository", TestPaths.RepositoryRoot, "--path", Cluster, "--secrets-file", SecretsFile(), "--dry-run");

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(
            $"error: {Cluster}/homelab-system: the reconciler would follow the placeholder {Homelab.Defaults.ReconcilerDefaults.PlaceholderRepositoryUrl}, which is nobody's repository: set Homelab:Publish:RepositoryUrl to your repository's https URL and publish again",
            refused.Error.Trim());
        Assert.DoesNotContain("follows", refused.Output.Replace("would follow", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(0, dryRun.ExitCode);
        Assert.Contains("dry run: bootstrap would refuse:", dryRun.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tree_that_follows_a_real_repository_goes_on_to_the_cluster()
    {
        var repository = TreeFollowing("https://git.example.org/me/homelab.git");
        var nowhere = Path.Combine(Directory.CreateTempSubdirectory("homelab-absent-").FullName, "kubeconfig");

        var result = await ReconcileOnceTests.RunCliAsync("bootstrap", "--repository", repository.Root, "--path", Cluster, "--secrets-file", SecretsFile(), "--kubeconfig", nowhere);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: kubeconfig {nowhere} does not exist", result.Error.Trim());
    }

    [Fact]
    public void Bootstrap_labels_what_git_holds_with_the_owner_key_the_in_cluster_reconciler_derives_from_its_environment()
    {
        var repository = TreeFollowing("https://git.example.org/me/homelab.git");
        var plan = Bootstrap.Plan(repository.Root, Cluster, SecretsFile());
        var reconciler = ReconcilerDeployment.Find(plan.FromGit, $"{Cluster}/homelab-system");
        // The pod's environment, as the rendered Deployment sets it, read as `run` reads it.
        var podEnvironment = plan.FromGit.Single(o => (string?)o["kind"] == "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
            .Where(e => e!["value"] is not null)
            .Select(e => new KeyValuePair<string, string?>(e!["name"]!.GetValue<string>().Replace("__", ":", StringComparison.Ordinal), e["value"]!.GetValue<string>()));
        var inCluster = CliSettings.Resolve(new ConfigurationBuilder().AddInMemoryCollection(podEnvironment).Build(), _ => { });

        // Bootstrap and the CLI reach the API server at the laptop's address; the pod at the Service's.
        var fromLaptop = new InventoryOwner("https://192.168.1.20:6443/", reconciler.Source, reconciler.Path).Key;
        var fromPod = inCluster.Inventory(new Uri("https://10.96.0.1:443/"), NullLogger.Instance).Owner.Key;

        Assert.Equal(("https://git.example.org/me/homelab.git", "main", Cluster), (reconciler.Source, reconciler.Ref, reconciler.Path));
        Assert.Equal(fromPod, fromLaptop);
        Assert.Equal(fromPod, new InventoryOwner("https://127.0.0.1:6443/", "https://git.example.org/me/homelab", Cluster).Key);
        // The Secrets are never in Git: no owner's inventory may list them, so no reconciler ever prunes them.
        Assert.All(plan.OutOfBand, o => Assert.NotEqual("Deployment", (string?)o["kind"]));
        Assert.Contains(plan.OutOfBand, o => (string?)o["kind"] == "Secret");
        Assert.DoesNotContain(plan.FromGit, o => (string?)o["kind"] == "Secret");
    }

    [Fact]
    public async Task The_wait_reads_status_through_the_pod_proxy_once_the_rollout_is_current_RealNodeCapture_FakeApiServer()
    {
        await using var server = await FakeApiServer.StartAsync();
        var statusReads = 0;
        var deploymentReads = 0;
        var pods = ReconcilerPods(ready: false);
        server.Responder = path => path switch
        {
            // Two polls with the old pod still there (generation ahead), then the new one's.
            DeploymentPath => Interlocked.Increment(ref deploymentReads) <= 2 ? (200, Deployment(generation: 2, observed: 1)) : (200, Deployment(generation: 2, observed: 2)),
            ServiceStatusPath => (503, NoEndpoints),
            PodStatusPath => Interlocked.Increment(ref statusReads) switch
            {
                // The old pod's status is never read; the new one first does not listen yet, then starts, then reports its cycle.
                1 => (503, """{"kind":"Status","message":"error trying to reach service: dial tcp 10.244.0.25:8080: connect: connection refused"}"""),
                2 => (200, Status(null, "Progressing", "starting", null)),
                _ => (200, Status(true, "ReconciliationSucceeded", "Applied revision 1234567", "1234567")),
            },
            PodsPath => (200, pods),
            _ => (404, string.Empty),
        };

        var (cycle, progress) = await WaitAsync(server, TimeSpan.FromSeconds(30));

        Assert.Equal(new FirstCycle(true, true, "1234567", "ReconciliationSucceeded", "Applied revision 1234567", null), cycle);
        Assert.Equal(3, statusReads);
        Assert.True(deploymentReads >= 3);
        Assert.Contains("is rolling out (observedGeneration 1 behind generation 2)", progress, StringComparison.Ordinal);
        Assert.Contains("connection refused", progress, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Contains("/services/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_first_cycle_that_failed_on_git_is_read_from_the_unready_pod_with_its_reason_and_message_RealNodeCapture_FakeApiServer()
    {
        await using var server = await FakeApiServer.StartAsync();
        var pods = ReconcilerPods(ready: false);
        server.Responder = path => path switch
        {
            DeploymentPath => (200, Deployment(generation: 1, observed: 1)),
            // The pod is unready (its last fetch did not reach Git): the Service has no endpoint, the pod still answers.
            ServiceStatusPath => (503, NoEndpoints),
            PodStatusPath => (200, Status(false, "ArtifactFailed", "Git sync of main from https://git.example.org/me/homelab.git failed: the SSL certificate is invalid", null)),
            PodsPath => (200, pods),
            _ => (404, string.Empty),
        };

        var (cycle, _) = await WaitAsync(server, TimeSpan.FromSeconds(30));

        Assert.True(cycle.Reported);
        Assert.False(cycle.Ready);
        Assert.Equal("ArtifactFailed", cycle.Reason);
        Assert.Contains("the SSL certificate is invalid", cycle.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cycle_whose_health_wait_was_cut_short_is_not_an_outcome_the_wait_goes_on_RealNodeCapture_FakeApiServer()
    {
        await using var server = await FakeApiServer.StartAsync();
        var statusReads = 0;
        var pods = ReconcilerPods(ready: true);
        server.Responder = path => path switch
        {
            DeploymentPath => (200, Deployment(generation: 1, observed: 1)),
            PodStatusPath => Interlocked.Increment(ref statusReads) switch
            {
                // Applied, but drift asked for the next cycle before health was known: not finished, and not a failure.
                1 => (200, Status(false, "Progressing", "Applied revision 1234567: 9 created; health not yet known: the wait ended early (drift)", "1234567")),
                _ => (200, Status(true, "ReconciliationSucceeded", "Applied revision 1234567", "1234567")),
            },
            PodsPath => (200, pods),
            _ => (404, string.Empty),
        };

        var (cycle, progress) = await WaitAsync(server, TimeSpan.FromSeconds(30));

        Assert.Equal(new FirstCycle(true, true, "1234567", "ReconciliationSucceeded", "Applied revision 1234567", null), cycle);
        Assert.Equal(2, statusReads);
        Assert.Contains("has not finished its first cycle (Progressing: Applied revision 1234567: 9 created; health not yet known", progress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_that_cannot_pull_its_image_is_named_with_its_reason_and_the_wait_ends_at_its_timeout_RealNodeCapture()
    {
        await using var server = await FakeApiServer.StartAsync();
        // A real node's pod whose image cannot be pulled, as the reconciler's pod would be.
        var pods = RealNode.Read("pod-navidrome-imagepull.json").ToJsonString();
        server.Responder = path => path switch
        {
            DeploymentPath => (200, Deployment(generation: 1, observed: 1)),
            ServiceStatusPath => (503, NoEndpoints),
            PodsPath => (200, pods),
            _ => (404, string.Empty),
        };

        var (cycle, progress) = await WaitAsync(server, TimeSpan.FromSeconds(1));

        Assert.False(cycle.Reported);
        Assert.Equal("Timeout", cycle.Reason);
        // As the reconciler's own health wait words it (WorkloadPods), with the pod's name.
        Assert.StartsWith("pod navidrome-698f4cb889-9xpzd: navidrome: ErrImagePull: docker.io/deluan/navidrome:0.58.5 (… failed to do request:", cycle.PodProblem, StringComparison.Ordinal);
        Assert.Contains("no cycle reported within 00:00:01", cycle.Message, StringComparison.Ordinal);
        Assert.Contains("waiting: pod navidrome-698f4cb889-9xpzd: navidrome: ErrImagePull", progress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_the_scheduler_cannot_place_is_named_with_the_schedulers_reason_RealNodeCapture_FakeApiServer()
    {
        await using var server = await FakeApiServer.StartAsync();
        var pod = ReconcilerPod(ready: false);
        pod["status"] = JsonNode.Parse("""{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/1 nodes are available: 1 pod has unbound immediate PersistentVolumeClaims."}]}""");
        var pods = new JsonObject { ["kind"] = "PodList", ["items"] = new JsonArray(pod) }.ToJsonString();
        server.Responder = path => path switch
        {
            DeploymentPath => (200, Deployment(generation: 1, observed: 1)),
            PodsPath => (200, pods),
            _ => (503, NoEndpoints),
        };

        var (cycle, _) = await WaitAsync(server, TimeSpan.FromMilliseconds(300));

        Assert.Equal("Timeout", cycle.Reason);
        Assert.Equal("pod homelab-reconciler-8974845f9-s5kw8: Unschedulable: 0/1 nodes are available: 1 pod has unbound immediate PersistentVolumeClaims.", cycle.PodProblem);
    }

    private static async Task<(FirstCycle Cycle, string Progress)> WaitAsync(FakeApiServer server, TimeSpan timeout)
    {
        var plan = Bootstrap.Plan(TreeFollowing("https://git.example.org/me/homelab.git").Root, Cluster, SecretsFile());
        var reconciler = ReconcilerDeployment.Find(plan.FromGit, $"{Cluster}/homelab-system");
        using var api = server.Connect();
        using var progress = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var cycle = await FirstCycleWait.WaitAsync(api, reconciler, timeout, TimeSpan.FromMilliseconds(50), progress, default);
        return (cycle, progress.ToString());
    }

    /// <summary>The real node's reconciler pod, made unready as it is while its fetches fail.</summary>
    private static JsonObject ReconcilerPod(bool ready)
    {
        var pod = (JsonObject)RealNode.Items("reconciler-deploy-and-pod.json").Single(i => (string?)i["kind"] == "Pod").DeepClone();
        pod["status"]!["containerStatuses"]![0]!["ready"] = ready;
        pod["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready")!["status"] = ready ? "True" : "False";
        return pod;
    }

    private static string ReconcilerPods(bool ready) =>
        new JsonObject { ["kind"] = "PodList", ["items"] = new JsonArray(ReconcilerPod(ready)) }.ToJsonString();

    private static string Deployment(int generation, int observed) =>
        new JsonObject
        {
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "homelab-reconciler", ["namespace"] = "homelab-system", ["generation"] = generation },
            ["status"] = new JsonObject { ["observedGeneration"] = observed, ["replicas"] = 1, ["updatedReplicas"] = 1 },
        }.ToJsonString();

    private static string Status(bool? ready, string reason, string message, string? revision) =>
        new JsonObject
        {
            ["ready"] = ready ?? false,
            ["reason"] = reason,
            ["message"] = message,
            ["lastAttemptedRevision"] = revision,
            ["lastReconcileAt"] = ready is null ? null : "2026-12-04T15:00:00+00:00",
        }.ToJsonString();

    /// <summary>A Git repository holding the committed cluster tree, its reconciler following <paramref name="url"/>.</summary>
    private static GitRepository TreeFollowing(string url)
    {
        var repository = GitRepository.Create();
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, Cluster), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(TestPaths.RepositoryRoot, file).Replace('\\', '/');
            repository.Write(relative, File.ReadAllText(file).Replace(Homelab.Defaults.ReconcilerDefaults.PlaceholderRepositoryUrl, url, StringComparison.Ordinal));
        }

        repository.Commit("the published tree, following a real repository");
        return repository;
    }

    private static string SecretsFile() =>
        BootstrapTests.WriteSecrets(AppHostModel.SecretParameters.ToDictionary(p => p, p => $"V-{p}-{Guid.NewGuid():N}"));
}
