using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Cli;

/// <summary>The CLI as its own process: data on stdout, logs and progress on stderr, so `diff > file` holds only the diff.</summary>
[Collection(DcpCollection.Name)]
public sealed class CliOutputTests(DcpFixture dcp)
{
    [Fact]
    public async Task Diff_writes_only_changes_to_stdout_and_its_logs_to_stderr()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write("clusters/test/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;

        var result = await ProcessRunner.RunToExitAsync("dotnet", [TestPaths.ReconcilerDll, "diff", "--source", repository.Root, "--path", "clusters/test", "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", state]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Executable/{prefix}-a created", result.Output.Trim());
        Assert.Contains("info:", result.Error, StringComparison.Ordinal);
    }
}
