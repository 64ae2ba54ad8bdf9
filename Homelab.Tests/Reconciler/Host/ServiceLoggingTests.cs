using Homelab.Defaults;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Reconciler.Host;

/// <summary>Issue 17: what the service logs. Probes log nothing; a failed fetch says what it tried.</summary>
[Collection(DcpCollection.Name)]
public sealed class ServiceLoggingTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Probe_requests_log_nothing_at_information()
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{Manifests.Prefix()}-a")).Commit("a");
        using var capture = new CapturingLoggerProvider();
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long, b => b.Logging.AddProvider(capture), "--Logging:LogLevel:Default=Information");
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        var before = capture.Lines.Count;
        // Information reaches the providers (the service's own lines): silence below is the per-request categories' Warning default.
        Assert.Contains(capture.Lines, l => l.StartsWith("Information Homelab.Reconciler", StringComparison.Ordinal));

        for (var i = 0; i < 5; i++)
        {
            foreach (var probe in new[] { ProbePaths.Alive, ProbePaths.Ready, ProbePaths.Health })
            {
                await host.ProbeAsync(probe);
            }
        }

        // An ordinary request is quiet the same way (ServiceDefaults quiets the categories, not the probe paths).
        await host.StatusAsync();
        var lines = capture.Lines.Skip(before).ToList();
        Assert.DoesNotContain(lines, l => l.Contains(ProbePaths.Alive, StringComparison.Ordinal) || l.Contains(ProbePaths.Ready, StringComparison.Ordinal) || l.Contains(ProbePaths.Health, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Information Microsoft.AspNetCore", StringComparison.Ordinal) || l.StartsWith("Information Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_fetch_says_which_source_and_ref_it_attempted()
    {
        var source = $"https://127.0.0.1:{LoopbackPort.Unused()}/homelab.git";
        using var capture = new CapturingLoggerProvider();
        await using var host = await ReconcilerHost.StartAsync(source, Path, dcp.Server.Kubeconfig, Long, b => b.Logging.AddProvider(capture));

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["lastReconcileAt"] is not null));
        Assert.Contains($"Reconcile of {source} at main failed (ArtifactFailed)", capture.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("Reconcile of  failed", capture.AllText, StringComparison.Ordinal);
        Assert.Contains(source, (await host.StatusAsync())["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
