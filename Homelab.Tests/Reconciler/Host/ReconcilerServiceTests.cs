using System.Net;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Host;

/// <summary>
/// The `run` service against a real DCP and real Git repositories: interval, webhook, drift repair,
/// suspend/resume, status, observe-only.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class ReconcilerServiceTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_commit_is_applied_within_the_interval()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        using var api = dcp.Server.Connect();
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, TimeSpan.FromSeconds(1));
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => await Live.GetExecutableAsync(api, $"{prefix}-a") is not null));

        repository.Write($"{Path}/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("b");

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(10), async () => await Live.GetExecutableAsync(api, $"{prefix}-b") is not null));
    }

    [Fact]
    public async Task A_signed_push_webhook_applies_within_2_seconds_and_a_bad_signature_changes_nothing()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        using var api = dcp.Server.Connect();
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));

        var commit = repository.Write($"{Path}/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("b");
        var push = $$"""{"ref":"refs/heads/main","after":"{{commit}}"}""";

        using (var forged = await host.PushWebhookAsync(push, secret: "not-the-secret"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        using (var unsigned = await host.PushWebhookAsync(push, secret: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        }

        await Task.Delay(1500);
        Assert.Null(await Live.GetExecutableAsync(api, $"{prefix}-b"));

        using (var otherBranch = await host.PushWebhookAsync("""{"ref":"refs/heads/dev","after":"x"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, otherBranch.StatusCode);
            Assert.Contains("ignored", await otherBranch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var signed = await host.PushWebhookAsync(push);
        Assert.Equal(HttpStatusCode.Accepted, signed.StatusCode);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(2), async () => await Live.GetExecutableAsync(api, $"{prefix}-b") is not null));
    }

    [Fact]
    public async Task The_watcher_never_takes_our_own_writes_or_the_servers_status_updates_for_drift()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        for (var i = 0; i < 10; i++)
        {
            repository.Write($"{Path}/{i}.yaml", Yaml.Executable($"{prefix}-{i}"));
        }

        repository.Commit("ten apps");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        var first = (await host.StatusAsync())["lastReconcileAt"]!.GetValue<string>();

        // DCP's controllers start the ten processes and write their status meanwhile; our writes echo back as events.
        await Task.Delay(TimeSpan.FromSeconds(4));

        var status = await host.StatusAsync();
        Assert.Equal(first, status["lastReconcileAt"]!.GetValue<string>());
        Assert.Null(status["fight"]);
    }

    [Fact]
    public async Task Suspend_survives_a_restart_until_resumed()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        using var api = dcp.Server.Connect();
        await using (var first = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long, $"--Reconciler:StateDirectory={state}"))
        {
            Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await first.StatusAsync())["ready"]!.GetValue<bool>()));
            using var suspend = await first.PostAsync("/suspend");
            Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        }

        repository.Write($"{Path}/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("b");
        await using var second = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, TimeSpan.FromSeconds(1), $"--Reconciler:StateDirectory={state}");
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.True((await second.StatusAsync())["suspended"]!.GetValue<bool>());
        Assert.Null(await Live.GetExecutableAsync(api, $"{prefix}-b"));

        using var resume = await second.PostAsync("/resume");
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(10), async () => await Live.GetExecutableAsync(api, $"{prefix}-b") is not null));
    }

    [Fact]
    public async Task A_webhook_body_over_1_MiB_is_refused_with_413()
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/README.md", "empty\n").Commit("empty");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long);

        using var response = await host.PushWebhookAsync(new string('x', (1024 * 1024) + 1));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Deleting_or_editing_an_applied_object_with_kubectl_is_repaired_within_5_seconds()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a", 600)).Commit("a");
        using var api = dcp.Server.Connect();
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        await Task.Delay(500);

        await Live.MergePatchAsync(dcp.Server, $"{prefix}-a", """{"spec":{"args":["5"]}}""");
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(5), async () =>
            (await Live.GetExecutableAsync(api, $"{prefix}-a"))?["spec"]?["args"]?[0]?.GetValue<string>() == "600"));

        await Live.DeleteAsync(dcp.Server, $"{prefix}-a");
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(5), async () =>
            (await Live.GetExecutableAsync(api, $"{prefix}-a")) is { } live && live["metadata"]?["deletionTimestamp"] is null));
    }

    [Fact]
    public async Task Suspend_stops_applying_and_resume_restarts()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        using var api = dcp.Server.Connect();
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, TimeSpan.FromSeconds(1));
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => await Live.GetExecutableAsync(api, $"{prefix}-a") is not null));

        using (var refused = await host.PostAsync("/suspend", token: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var suspended = await host.PostAsync("/suspend"))
        {
            Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
            Assert.Contains("suspended", await suspended.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.True((await host.StatusAsync())["suspended"]!.GetValue<bool>());
        repository.Write($"{Path}/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("b");
        await Task.Delay(3000);
        Assert.Null(await Live.GetExecutableAsync(api, $"{prefix}-b"));

        using (var resumed = await host.PostAsync("/resume"))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        }

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(5), async () => await Live.GetExecutableAsync(api, $"{prefix}-b") is not null));
    }

    [Fact]
    public async Task Status_has_every_field_and_mutating_endpoints_refuse_without_the_token()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["lastReconcileAt"] is not null));

        var status = await host.StatusAsync();
        foreach (var field in new[] { "ready", "reason", "message", "lastAppliedRevision", "lastAttemptedRevision", "lastReconcileAt", "lastDuration", "nextReconcileAt", "suspended", "inventory" })
        {
            Assert.True(status.ContainsKey(field), $"/status lacks {field}");
        }

        Assert.Equal(1, status["inventory"]!["Executable"]!.GetValue<int>());
        Assert.StartsWith("main@sha1:", status["lastAppliedRevision"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(ReconcilerHost.ApiToken, status.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ReconcilerHost.WebhookSecret, status.ToJsonString(), StringComparison.Ordinal);
        foreach (var path in new[] { "/reconcile", "/suspend", "/resume" })
        {
            using var noToken = await host.PostAsync(path, token: null);
            using var wrongToken = await host.PostAsync(path, token: "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        }

        using var reconcile = await host.PostAsync("/reconcile");
        Assert.Equal(HttpStatusCode.Accepted, reconcile.StatusCode);
        Assert.Contains("reconcile", await reconcile.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Observe_only_when_the_kubeconfig_points_nowhere()
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{Manifests.Prefix()}-a")).Commit("a");
        var nowhere = System.IO.Path.Combine(Directory.CreateTempSubdirectory("homelab-kube-").FullName, "missing");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, nowhere, Long);

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["lastReconcileAt"] is not null));
        var status = await host.StatusAsync();
        Assert.True(status["observeOnly"]!.GetValue<bool>());
        Assert.Contains("observe-only: no cluster", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
        using var health = await host.Http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_failed_cycle_is_unhealthy_while_the_process_stays_alive()
    {
        var missing = System.IO.Path.Combine(Directory.CreateTempSubdirectory("homelab-missing-").FullName, "no-such-repository");
        await using var host = await ReconcilerHost.StartAsync(missing, Path, dcp.Server.Kubeconfig, Long);

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["lastReconcileAt"] is not null));
        Assert.Equal("ArtifactFailed", (await host.StatusAsync())["reason"]!.GetValue<string>());
        using var health = await host.Http.GetAsync(new Uri("/health", UriKind.Relative));
        using var alive = await host.Http.GetAsync(new Uri("/alive", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
