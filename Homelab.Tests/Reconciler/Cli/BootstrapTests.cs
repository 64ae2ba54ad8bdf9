using System.Text.Json.Nodes;
using Homelab.Tests.AppHost;

namespace Homelab.Tests.Reconciler.Cli;

/// <summary>`bootstrap --dry-run` over the committed clusters/my-laptop, with the AppHost's parameters in a temp file.</summary>
public sealed class BootstrapTests
{
    [Fact]
    public async Task A_dry_run_prints_the_secrets_redacted_and_homelab_system_and_contacts_no_server()
    {
        var values = AppHostModel.SecretParameters.ToDictionary(p => p, p => $"V-{p}-{Guid.NewGuid():N}");
        var secrets = WriteSecrets(values);
        var nowhere = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}", "kubeconfig");

        var result = await ReconcileOnceTests.RunCliAsync("bootstrap", "--repository", TestPaths.RepositoryRoot, "--path", "clusters/my-laptop", "--secrets-file", secrets, "--kubeconfig", nowhere, "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.All(values.Values, v => Assert.DoesNotContain(v, result.Output, StringComparison.Ordinal));
        Assert.Contains("name: homelab-reconciler", result.Output, StringComparison.Ordinal);
        Assert.Contains("name: syncthing-secrets", result.Output, StringComparison.Ordinal);
        Assert.Contains("api-token: <redacted>", result.Output, StringComparison.Ordinal);
        Assert.Contains("syncthing-gui-password: <redacted>", result.Output, StringComparison.Ordinal);
        Assert.Contains("kind: Deployment", result.Output, StringComparison.Ordinal);
        Assert.Contains("kind: ClusterRoleBinding", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("name: navidrome", result.Output, StringComparison.Ordinal);
        Assert.Contains("dry run: would apply 10 objects", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_parameters_are_one_clear_error()
    {
        var secrets = WriteSecrets(new Dictionary<string, string> { ["syncthing-api-key"] = "x" });

        var result = await ReconcileOnceTests.RunCliAsync("bootstrap", "--repository", TestPaths.RepositoryRoot, "--secrets-file", secrets, "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Parameters:reconciler-api-token", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    private static string WriteSecrets(Dictionary<string, string> values)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("homelab-secrets-").FullName, "secrets.json");
        var json = new JsonObject();
        foreach (var (key, value) in values)
        {
            json[$"Parameters:{key}"] = value;
        }

        File.WriteAllText(file, json.ToJsonString());
        return file;
    }
}
