using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Cli;

/// <summary>`status --url` against a running reconciler service (in-process, real DCP and Git).</summary>
[Collection(DcpCollection.Name)]
public sealed class StatusVerbTests(DcpFixture dcp)
{
    [Fact]
    public async Task Status_prints_a_running_reconcilers_state_as_a_table()
    {
        var repository = GitRepository.Create();
        repository.Write("clusters/test/a.yaml", Yaml.Executable($"{Manifests.Prefix()}-a")).Commit("a");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, "clusters/test", dcp.Server.Kubeconfig, TimeSpan.FromMinutes(10));
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));

        var result = await ReconcileOnceTests.RunCliAsync("status", "--url", host.Http.BaseAddress!.ToString());

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"ready\s+true", result.Output);
        Assert.Matches(@"applied revision\s+main@sha1:[0-9a-f]{40}", result.Output);
        Assert.Matches(@"Executable\s+1", result.Output);
    }

    [Fact]
    public async Task An_unreachable_reconciler_is_one_error_line_and_exit_2()
    {
        var result = await ReconcileOnceTests.RunCliAsync("status", "--url", "http://127.0.0.1:9");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error:", result.Error, StringComparison.Ordinal);
    }
}
