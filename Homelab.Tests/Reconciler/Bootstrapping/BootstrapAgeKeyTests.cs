using System.Text.Json.Nodes;
using Homelab.Reconciler.Bootstrapping;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;
using Homelab.Tests.AppHost;
using Homelab.Tests.Infrastructure;

using Homelab.Tests.Reconciler.Cli;

namespace Homelab.Tests.Reconciler.Bootstrapping;

/// <summary>
/// `bootstrap --age-key-file` over a tree whose homelab-system holds a SOPS-encrypted Secret (made with Homelab.Secrets and an
/// age key generated here), at the level of <see cref="BootstrapTests"/>: the plan, and the CLI's dry run.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BootstrapAgeKeyTests
{
    private const string Cluster = "clusters/lab";

    [Fact]
    public void The_plan_creates_homelab_age_key_decrypts_homelab_system_and_needs_no_secrets_file()
    {
        var (root, key, keyFile, token) = EncryptedTree();
        var absent = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}", "secrets.json");

        var plan = Bootstrap.Plan(root, Cluster, absent, keyFile);

        var ageKey = Assert.Single(plan.OutOfBand, o => (string?)o["kind"] == "Secret");
        Assert.Equal("homelab-age-key", (string?)ageKey["metadata"]!["name"]);
        Assert.Equal("homelab-system", (string?)ageKey["metadata"]!["namespace"]);
        Assert.Contains(key.SecretText(), (string?)ageKey["stringData"]!["age.agekey"], StringComparison.Ordinal);
        var reconciler = Assert.Single(plan.FromGit, o => (string?)o["kind"] == "Secret");
        Assert.Equal(token, (string?)reconciler["stringData"]!["api-token"]);
        Assert.Null(reconciler["sops"]);
    }

    [Fact]
    public void A_wrong_key_or_none_is_an_error_naming_the_file()
    {
        var (root, _, _, _) = EncryptedTree();
        var secrets = BootstrapTests.WriteSecrets(AppHostModel.SecretParameters.ToDictionary(p => p, p => $"V-{p}"));

        var wrong = Assert.Throws<IOException>(() => Bootstrap.Plan(root, Cluster, secrets, SopsTestFiles.WriteKey(AgeIdentity.Generate())));
        var none = Assert.Throws<IOException>(() => Bootstrap.Plan(root, Cluster, secrets, ageKeyFile: null));

        Assert.Contains($"{Cluster}/homelab-system/secret.sops.yaml", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("NoMatchingKey", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("no age key", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dry_run_never_prints_the_key_or_a_decrypted_value_and_a_readable_key_file_is_warned_about()
    {
        var (root, key, keyFile, token) = EncryptedTree();
        var nowhere = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}", "kubeconfig");
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await ReconcileOnceTests.RunCliAsync("bootstrap", "--repository", root, "--path", Cluster, "--age-key-file", keyFile, "--kubeconfig", nowhere, "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("name: homelab-age-key", result.Output, StringComparison.Ordinal);
        Assert.Contains("age.agekey: <redacted>", result.Output, StringComparison.Ordinal);
        Assert.Contains("api-token: <redacted>", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key.SecretText(), result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Output + result.Error, StringComparison.Ordinal);
        Assert.Contains($"warning: {keyFile} can be read by others than its owner", result.Error, StringComparison.Ordinal);

        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var owned = await ReconcileOnceTests.RunCliAsync("bootstrap", "--repository", root, "--path", Cluster, "--age-key-file", keyFile, "--kubeconfig", nowhere, "--dry-run");
        Assert.DoesNotContain("can be read by others", owned.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Syncthing_identity_is_copied_when_the_secrets_file_has_it()
    {
        var values = AppHostModel.SecretParameters.ToDictionary(p => p, p => $"V-{p}");
        values["syncthing-identity"] = "identity-7d1e";

        var plan = Bootstrap.Plan(TestPaths.RepositoryRoot, "clusters/my-laptop", BootstrapTests.WriteSecrets(values));

        var syncthing = Assert.Single(plan.OutOfBand, o => (string?)o["metadata"]?["name"] == "syncthing-secrets");
        Assert.Equal("identity-7d1e", (string?)syncthing["stringData"]!["syncthing-identity"]);
    }

    /// <summary>A tree whose homelab-system holds the reconciler's Secret, encrypted to a new key (the key file is 0600).</summary>
    private static (string Root, AgeIdentity Key, string KeyFile, string Token) EncryptedTree()
    {
        var key = AgeIdentity.Generate();
        var token = $"token-{Guid.NewGuid():N}";
        var secret = $"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: homelab-reconciler
              namespace: homelab-system
            type: Opaque
            stringData:
              api-token: {token}

            """;
        var encrypted = SopsFile.Encrypt("secret.sops.yaml", secret, new SopsCreationRule([key.Recipient], new SopsRules(EncryptedRegex: "^(data|stringData)$")));
        Assert.True(encrypted.Succeeded, encrypted.Error?.ToString());
        // The committed homelab-system (its reconciler Deployment is what bootstrap hands over to), plus the encrypted Secret.
        var repository = GitRepository.Create();
        var published = Path.Combine(TestPaths.RepositoryRoot, "clusters/my-laptop/homelab-system");
        foreach (var file in Directory.EnumerateFiles(published))
        {
            var text = File.ReadAllText(file);
            repository.Write($"{Cluster}/homelab-system/{Path.GetFileName(file)}", Path.GetFileName(file) == "kustomization.yaml" ? text + "- secret.sops.yaml\n" : text);
        }

        repository.Write($"{Cluster}/homelab-system/secret.sops.yaml", encrypted.Value!).Commit("encrypted homelab-system");
        return (repository.Root, key, SopsTestFiles.WriteKey(key), token);
    }
}
