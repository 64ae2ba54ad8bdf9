using System.Net;
using Homelab.Defaults;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Reconciler.Host;

/// <summary>
/// Issue 17: the loop never ends for good. A state directory it cannot use is a typed failed cycle, retried,
/// that recovers by itself once fixed; a loop that cannot recover fails liveness so the kubelet restarts it.
/// Tests run as root, so "cannot use" is made in ways that fail as root too.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class LoopRecoveryTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    public enum Breakage
    {
        /// <summary>The state directory would be under a regular file: it cannot be created.</summary>
        UnderARegularFile,

        /// <summary><c>&lt;state&gt;/lock</c> is a folder: it cannot be opened (as a volume the uid cannot write).</summary>
        LockIsAFolder,
    }

    [Theory]
    [InlineData(Breakage.UnderARegularFile)]
    [InlineData(Breakage.LockIsAFolder)]
    public async Task A_state_directory_it_cannot_use_is_a_typed_retried_failure_that_recovers_once_fixed_without_a_restart(Breakage breakage)
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        var root = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var blocker = System.IO.Path.Combine(root, "blocker");
        var state = breakage == Breakage.UnderARegularFile ? System.IO.Path.Combine(blocker, "state") : root;
        if (breakage == Breakage.UnderARegularFile)
        {
            await File.WriteAllTextAsync(blocker, "a file where a folder should be");
        }
        else
        {
            Directory.CreateDirectory(System.IO.Path.Combine(root, "lock"));
        }

        using var api = dcp.Server.Connect();
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, TimeSpan.FromSeconds(1), $"--Reconciler:StateDirectory={state}");

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(10), async () => (await host.StatusAsync())["reason"]!.GetValue<string>() == "StateDirectoryUnavailable"));
        var failed = await host.StatusAsync();
        Assert.Contains($"the state directory {state} cannot be used", failed["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("needs write access", failed["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await host.ProbeAsync(ProbePaths.Ready));
        Assert.Equal(HttpStatusCode.OK, await host.ProbeAsync(ProbePaths.Alive));

        // Retried: another failed cycle is recorded after the first.
        var first = failed["lastReconcileAt"]!.GetValue<string>();
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(10), async () => (await host.StatusAsync())["lastReconcileAt"]!.GetValue<string>() != first));
        Assert.Equal("StateDirectoryUnavailable", (await host.StatusAsync())["reason"]!.GetValue<string>());
        Assert.Null(await Live.GetExecutableAsync(api, $"{prefix}-a"));

        // The operator fixes the volume; the same process recovers.
        if (breakage == Breakage.UnderARegularFile)
        {
            File.Delete(blocker);
        }
        else
        {
            Directory.Delete(System.IO.Path.Combine(root, "lock"));
        }

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-a"));
        Assert.Equal(HttpStatusCode.OK, await host.ProbeAsync(ProbePaths.Ready));
        Assert.Equal(HttpStatusCode.OK, await host.ProbeAsync(ProbePaths.Alive));
    }

    [Fact]
    public async Task A_loop_stuck_on_an_api_server_that_never_answers_fails_liveness_and_readiness_BlackholedApiServer()
    {
        // A real socket that accepts connections and never says a word: the TLS handshake waits for ever.
        using var blackhole = LoopbackPort.Silent();
        var kubeconfig = KubeconfigFile.PointingAt(new Uri($"https://127.0.0.1:{LoopbackPort.Of(blackhole)}"));
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{Manifests.Prefix()}-a")).Commit("a");
        using var capture = new CapturingLoggerProvider();
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, kubeconfig, Long, b => b.Logging.AddProvider(capture), "--Reconciler:StallTimeout=00:00:03");

        // The first cycle has not reached the API server: not ready, but alive while it may still recover.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await host.ProbeAsync(ProbePaths.Ready));
        Assert.Equal(HttpStatusCode.OK, await host.ProbeAsync(ProbePaths.Alive));
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => await host.ProbeAsync(ProbePaths.Alive) == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await host.ProbeAsync(ProbePaths.Ready));
        Assert.Contains("neither started nor finished a cycle", await HealthDetailAsync(host), StringComparison.Ordinal);

        // The restart's reason is in the log once (the health-check service's own log is silenced), however often probed.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await host.ProbeAsync(ProbePaths.Alive));
        var why = Assert.Single(capture.Lines, l => l.Contains("ReconcileLivenessCheck", StringComparison.Ordinal));
        Assert.StartsWith("Error Homelab.Reconciler.Status.ReconcileLivenessCheck: Liveness (/alive) fails, so the pod will be restarted: the reconcile loop has neither started nor finished a cycle", why, StringComparison.Ordinal);
    }

    /// <summary>The liveness check's own description, as the health check service reports it.</summary>
    private static async Task<string> HealthDetailAsync(ReconcilerHost host)
    {
        var service = host.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        var report = await service.CheckHealthAsync(r => r.Name == "reconcile-loop");
        return string.Join("; ", report.Entries.Values.Select(e => e.Description));
    }
}
