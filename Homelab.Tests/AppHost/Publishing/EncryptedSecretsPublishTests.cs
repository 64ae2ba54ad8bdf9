using System.Text;
using System.Text.Json.Nodes;
using Homelab.AppHost.Hosting;
using Homelab.Kustomize;
using Homelab.Secrets.Sops;
using Homelab.Tests.AppHost.Hosting;
using Homelab.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// With the parameters kept encrypted, publish writes the cluster's Secrets as SOPS-encrypted manifests: real publish
/// runs, real age keys, decrypted by our library and rendered by `kubectl kustomize` and our renderer.
/// </summary>
public sealed class EncryptedSecretsPublishTests
{
    private static readonly string[] SecretFiles =
        ["apps/secret-navidrome-secrets.sops.yaml", "apps/secret-syncthing-secrets.sops.yaml", "homelab-system/secret-homelab-reconciler.sops.yaml"];

    [Fact]
    public async Task Publish_writes_encrypted_secret_manifests_that_decrypt_to_the_secrets_stay_unchanged_and_render()
    {
        var (root, identity, keyFile) = EncryptedParametersTests.NewKey();
        var values = EncryptedParametersTests.Values();
        var secretsFile = Path.Combine(root, EncryptedParameters.DefaultFile);
        Directory.CreateDirectory(Path.GetDirectoryName(secretsFile)!);
        // A catch-all rule: publish still encrypts only data/stringData, or nothing could read the manifests.
        await File.WriteAllTextAsync(Path.Combine(root, SopsConfigFile.Name), $"creation_rules:\n  - age: {identity.Recipient.Text}\n");
        await File.WriteAllTextAsync(secretsFile, SopsFile.Encrypt(secretsFile, EncryptedParameters.ToYaml(values), SopsConfigFile.CreationRuleFor(secretsFile).Value!).Value);
        var output = Path.Combine(root, "clusters", "test");
        string[] settings = [Publisher.ExampleRepository, $"--{EncryptedParameters.SettingKey}={secretsFile}", $"--{SopsAgeKeys.KeyFileVariable}={keyFile}", $"--XDG_CONFIG_HOME={root}"];

        var result = await Publisher.PublishToExitAsync(output, settings);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);

        // Each decrypts to a standard Secret holding the parameters' values.
        var secrets = new Dictionary<string, V1Secret>();
        foreach (var file in SecretFiles)
        {
            var path = Path.Combine(output, file);
            var decrypted = SopsFile.Decrypt(path, await File.ReadAllTextAsync(path), [identity]);
            Assert.True(decrypted.Succeeded, decrypted.Error?.ToString());
            var secret = KubernetesYaml.Deserialize<V1Secret>(decrypted.Value!, strict: true);
            Assert.Equal("v1", secret.ApiVersion);
            secrets[secret.Metadata.Name] = secret;
            Assert.Contains($"- {Path.GetFileName(file)}\n", await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(path)!, "kustomization.yaml")));
        }

        Assert.Equal(values["reconciler-api-token"], secrets["homelab-reconciler"].StringData["api-token"]);
        Assert.Equal(values["reconciler-webhook-secret"], secrets["homelab-reconciler"].StringData["webhook-secret"]);
        Assert.Equal("homelab-system", secrets["homelab-reconciler"].Metadata.NamespaceProperty);
        Assert.Equal(values["syncthing-api-key"], secrets["syncthing-secrets"].StringData["syncthing-api-key"]);
        Assert.Equal(values["syncthing-gui-password"], secrets["syncthing-secrets"].StringData["syncthing-gui-password"]);
        Assert.Equal(values["navidrome-admin-password"], secrets["navidrome-secrets"].StringData["navidrome-admin-password"]);
        Assert.Equal("admin", secrets["navidrome-secrets"].StringData["navidrome-admin-user"]);
        Assert.Equal("homelab", secrets["navidrome-secrets"].Metadata.NamespaceProperty);

        // No plaintext value anywhere in the tree.
        var tree = Publisher.ReadTree(output);
        foreach (var (path, bytes) in tree)
        {
            var text = Encoding.UTF8.GetString(bytes);
            Assert.All(values.Values, v => Assert.DoesNotContain(v.Contains('\n') ? v.Split('\n')[1] : v, text, StringComparison.Ordinal));
        }

        // Unchanged values: not one byte changes (SOPS output differs on every encryption).
        var again = await Publisher.PublishToExitAsync(output, settings);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        var second = Publisher.ReadTree(output);
        Assert.Equal(tree.Keys, second.Keys);
        Assert.All(tree, p => Assert.True(p.Value.AsSpan().SequenceEqual(second[p.Key]), $"{p.Key} was rewritten"));

        // kubectl kustomize and our renderer keep the manifests encrypted and intact, sops metadata included.
        var theirs = new YamlToJson("kubectl", BuildLimits.Default).ReadDocuments(await ProcessRunner.RunAsync("kubectl", ["kustomize", output])).OfType<JsonObject>().ToList();
        var ours = new KustomizeBuilder(BuildLimits.Default).Build(root, "clusters/test");
        foreach (var rendered in new[] { theirs, ours })
        {
            var renderedSecrets = rendered.Where(o => (string?)o["kind"] == "Secret").ToList();
            Assert.Equal(3, renderedSecrets.Count);
            Assert.All(renderedSecrets, s => Assert.NotNull(s["sops"]?["mac"]));
            Assert.All(renderedSecrets.SelectMany(s => s["stringData"]!.AsObject()), e => Assert.StartsWith("ENC[AES256_GCM,", (string?)e.Value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Without_the_encrypted_file_publish_writes_no_secret_manifest()
    {
        var output = Directory.CreateTempSubdirectory("homelab-publish-").FullName;
        var noKeys = Directory.CreateTempSubdirectory("homelab-nokeys-").FullName;

        var result = await Publisher.PublishToExitAsync(output, Publisher.ExampleRepository, $"--{EncryptedParameters.SettingKey}={Path.Combine(noKeys, "absent.sops.yaml")}");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.DoesNotContain(Publisher.ReadTree(output).Keys, k => k.EndsWith(".sops.yaml", StringComparison.Ordinal));
    }
}
