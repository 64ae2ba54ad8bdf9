using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Kubernetes;

/// <summary>
/// Where the cluster is, decided as a fresh process decides it: no --kubeconfig, no KUBECONFIG, no
/// ~/.kube/config and no service account means observe-only, never the client's localhost:8080.
/// </summary>
public sealed class ClusterConfigurationTests
{
    private const string Path = "clusters/test";

    [Fact]
    public async Task No_cluster_configuration_at_all_is_observe_only_and_never_localhost_8080()
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable("a")).Commit("a");
        var result = await RunReconcilerAsync("reconcile", "--once", "--source", repository.Root, "--path", Path, "--quiet");
        var output = result.Output + result.Error;

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("observe-only: no cluster", output, StringComparison.Ordinal);
        Assert.DoesNotContain("8080", output, StringComparison.Ordinal);
        Assert.DoesNotContain("created", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_without_a_cluster_says_what_to_configure()
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable("a")).Commit("a");
        var result = await RunReconcilerAsync("diff", "--source", repository.Root, "--path", Path, "--quiet");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no cluster configured: pass --kubeconfig, set KUBECONFIG", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("8080", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_kubeconfig_is_one_line_naming_the_file()
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable("a")).Commit("a");
        var kubeconfig = System.IO.Path.Combine(Directory.CreateTempSubdirectory("homelab-kube-").FullName, "config");
        await File.WriteAllTextAsync(kubeconfig, "clusters: [unclosed\n");

        var result = await RunReconcilerAsync("diff", "--source", repository.Root, "--path", Path, "--kubeconfig", kubeconfig, "--quiet");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: kubeconfig {kubeconfig} cannot be read:", result.Error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The built reconciler as its own process, with an empty home and no cluster in its environment.</summary>
    private static Task<ProcessResult> RunReconcilerAsync(params string[] args)
    {
        var home = Directory.CreateTempSubdirectory("homelab-home-").FullName;
        var dll = TestPaths.ReconcilerDll;
        return ProcessRunner.RunToExitAsync("dotnet", [dll, .. args, "--state-dir", System.IO.Path.Combine(home, "state")], environment: new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["KUBECONFIG"] = null,
            ["KUBERNETES_SERVICE_HOST"] = null,
            ["KUBERNETES_SERVICE_PORT"] = null,
        });
    }
}
