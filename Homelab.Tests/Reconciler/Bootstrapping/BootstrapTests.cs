using System.Text.Json.Nodes;
using Homelab.Tests.AppHost;

using Homelab.Tests.Reconciler.Cli;

namespace Homelab.Tests.Reconciler.Bootstrapping;

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
        Assert.Contains("name: navidrome-secrets", result.Output, StringComparison.Ordinal);
        Assert.Contains("navidrome-admin-password: <redacted>", result.Output, StringComparison.Ordinal);
        Assert.Contains("kind: Deployment", result.Output, StringComparison.Ordinal);
        Assert.Contains("kind: ClusterRoleBinding", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("name: navidrome\n", result.Output, StringComparison.Ordinal);
        // 3 Secrets, the apps Namespace, homelab-system's 9 objects (with its 2 NetworkPolicies).
        Assert.Contains("dry run: would apply 13 objects", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Navidrome_secrets_hold_the_first_admin_from_the_apphost_parameter_in_the_apps_namespace()
    {
        var values = AppHostModel.SecretParameters.ToDictionary(p => p, p => $"V-{p}-{Guid.NewGuid():N}");

        var plan = Homelab.Reconciler.Bootstrapping.Bootstrap.Plan(TestPaths.RepositoryRoot, "clusters/my-laptop", WriteSecrets(values));

        // Out of band: never in Git, so no reconciler's inventory holds it.
        var secret = Assert.Single(plan.OutOfBand, o => (string?)o["kind"] == "Secret" && (string?)o["metadata"]!["name"] == "navidrome-secrets");
        Assert.Equal("homelab", (string?)secret["metadata"]!["namespace"]);
        Assert.Equal("admin", (string?)secret["stringData"]!["navidrome-admin-user"]);
        Assert.Equal(values["navidrome-admin-password"], (string?)secret["stringData"]!["navidrome-admin-password"]);
    }

    [Fact]
    public void Every_required_secret_key_the_published_tree_references_is_one_bootstrap_creates()
    {
        var values = AppHostModel.SecretParameters.ToDictionary(p => p, p => $"V-{p}-{Guid.NewGuid():N}");
        var created = Homelab.Reconciler.Bootstrapping.Bootstrap.Plan(TestPaths.RepositoryRoot, "clusters/my-laptop", WriteSecrets(values)).All
            .Where(o => (string?)o["kind"] == "Secret")
            .SelectMany(o => o["stringData"]!.AsObject().Select(d => $"{o["metadata"]!["namespace"]}/{o["metadata"]!["name"]}/{d.Key}"))
            .ToHashSet(StringComparer.Ordinal);

        var tree = new Homelab.Kustomize.KustomizeBuilder(Homelab.Kustomize.BuildLimits.Default).Build(TestPaths.RepositoryRoot, "clusters/my-laptop");
        var referenced = tree.Where(o => (string?)o["kind"] == "Deployment")
            .SelectMany(d => d["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Concat(d["spec"]!["template"]!["spec"]!["initContainers"]?.AsArray() ?? [])
                .SelectMany(c => c!["env"]?.AsArray() ?? [])
                .Select(e => e!["valueFrom"]?["secretKeyRef"])
                .Where(r => r is not null && (bool?)r["optional"] != true)
                .Select(r => $"{d["metadata"]!["namespace"]}/{r!["name"]}/{r["key"]}"))
            .ToList();

        Assert.Contains("homelab/navidrome-secrets/navidrome-admin-password", referenced);
        Assert.All(referenced, r => Assert.Contains(r, created));
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

    [Theory]
    [InlineData("")]
    [InlineData("{\"Parameters:syncthing-api-key\": ")]
    [InlineData("[\"not an object\"]")]
    public async Task A_secrets_file_that_is_not_a_json_object_is_one_clear_error(string content)
    {
        var secrets = Path.Combine(Directory.CreateTempSubdirectory("homelab-secrets-").FullName, "secrets.json");
        await File.WriteAllTextAsync(secrets, content);

        var result = await ReconcileOnceTests.RunCliAsync("bootstrap", "--repository", TestPaths.RepositoryRoot, "--secrets-file", secrets, "--dry-run");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {secrets} is not a JSON object of Parameters:* values", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    internal static string WriteSecrets(Dictionary<string, string> values)
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
