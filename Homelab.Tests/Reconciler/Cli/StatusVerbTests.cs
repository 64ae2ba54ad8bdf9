using Homelab.Defaults;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Cli;

/// <summary>`status` with no --url finds a `run` started with no address configured: both use <see cref="ReconcilerDefaults.HttpPort"/>.</summary>
public sealed class StatusVerbTests
{
    [Fact]
    public async Task Status_finds_run_on_the_default_port()
    {
        var repository = GitRepository.Create();
        repository.Write("clusters/test/a.yaml", Yaml.Executable("a")).Commit("a");
        var home = Directory.CreateTempSubdirectory("homelab-home-").FullName;
        // No address and no cluster anywhere: the defaults decide.
        var environment = new Dictionary<string, string?> { ["HOME"] = home };
        foreach (var variable in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "KUBECONFIG", "KUBERNETES_SERVICE_HOST" })
        {
            environment[variable] = null;
        }

        using var run = ProcessRunner.Start("dotnet", [TestPaths.ReconcilerDll, "run", $"--Reconciler:Source={repository.Root}", "--Reconciler:Path=clusters/test", $"--Reconciler:StateDirectory={Path.Combine(home, "state")}"], environment: environment);
        try
        {
            ProcessResult? status = null;
            Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () =>
            {
                status = await ProcessRunner.RunToExitAsync("dotnet", [TestPaths.ReconcilerDll, "status"]);
                return status.ExitCode == 0 && status.Output.Contains("observe-only", StringComparison.Ordinal);
            }));
            Assert.Contains($"localhost:{ReconcilerDefaults.HttpPort}", (await ProcessRunner.RunToExitAsync("dotnet", [TestPaths.ReconcilerDll, "status", "--help"])).Output, StringComparison.Ordinal);
        }
        finally
        {
            run.Kill();
            await run.WaitForExitAsync();
        }
    }
}
