using Homelab.Kustomize;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Secrets;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Kustomize;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Reconciler.Secrets;

/// <summary>
/// Decryption (in the build, as files are read) on a real Git repository and DCP. DCP serves no core/v1 (no Secrets), so the encrypted object is an
/// Executable whose <c>spec.env</c> is SOPS-encrypted as a Secret's <c>data</c> is (made with Homelab.Secrets and an age key
/// generated here): what DCP stores is read back.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class DecryptStageTests(DcpFixture dcp)
{
    private const string ExecutablePath = "/apis/usvc-dev.developer.microsoft.com/v1/executables/";
    private const string EncryptedRegex = "^(data|stringData|env)$";

    [Fact]
    public async Task Encrypted_objects_apply_decrypted_and_a_wrong_key_a_tampered_file_or_no_key_or_an_edit_breaking_the_MAC_fail_with_DecryptionFailed_changing_nothing()
    {
        var prefix = Manifests.Prefix();
        var secretValue = $"v-{Guid.NewGuid():N}";
        var key = AgeIdentity.Generate();
        var keyFile = SopsTestFiles.WriteKey(key);
        var repository = GitRepository.Create();
        repository.Write("clusters/test/app.sops.yaml", SopsTestFiles.Encrypt("app.sops.yaml", Yaml.EnvExecutable($"{prefix}-app", secretValue), key, EncryptedRegex)).Commit("encrypted");
        var options = TestPipeline.Options(repository.Root);
        options.AgeKeyFile = keyFile;
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var api = dcp.Server.Connect();

        // With the key: applied with the plaintext value, and without the sops field.
        var applied = await TestPipeline.Create(options, api, loggers.CreateLogger<ReconcilePipeline>()).RunAsync(skipWhenUnchanged: false, default);
        Assert.True(applied.Ready, applied.Message);
        var live = await api.GetAsync(ExecutablePath + $"{prefix}-app", default);
        Assert.Equal(secretValue, (string?)live!["spec"]!["env"]![0]!["value"]);
        Assert.Null(live["sops"]);
        var inventoryBefore = await File.ReadAllTextAsync(options.Inventory(api.Server, loggers.CreateLogger("t")).FilePath);
        var liveBefore = live["spec"]!.ToJsonString();

        // A wrong key, then a tampered value, then no key at all: DecryptionFailed naming the file, nothing changes.
        options.AgeKeyFile = SopsTestFiles.WriteKey(AgeIdentity.Generate());
        repository.Write("clusters/test/app.sops.yaml", SopsTestFiles.Encrypt("app.sops.yaml", Yaml.EnvExecutable($"{prefix}-app", "changed"), key, EncryptedRegex))
            .Write("clusters/test/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("changed");
        await AssertFailsChangingNothing(options, "NoMatchingKey");
        options.AgeKeyFile = keyFile;
        var encrypted = File.ReadAllText(Path.Combine(repository.Root, "clusters/test/app.sops.yaml"));
        repository.Write("clusters/test/app.sops.yaml", SopsTestFiles.Tamper(encrypted)).Commit("tampered");
        await AssertFailsChangingNothing(options, "Tampered");
        // An unencrypted value edited: every value decrypts, the MAC over them does not match.
        repository.Write("clusters/test/app.sops.yaml", encrypted.Replace("/bin/sleep", "/bin/sleeq", StringComparison.Ordinal)).Commit("edited outside sops");
        await AssertFailsChangingNothing(options, "MacMismatch");
        repository.Write("clusters/test/app.sops.yaml", encrypted).Commit("untampered");
        options.AgeKeyFile = null;
        await AssertFailsChangingNothing(options, "there is no age key");

        // Nothing the reconciler wrote or said holds the value.
        var stateFiles = Directory.EnumerateFiles(options.StateDirectory, "*", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}source{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.All(stateFiles, f => Assert.DoesNotContain(secretValue, File.ReadAllText(f), StringComparison.Ordinal));
        Assert.DoesNotContain(secretValue, logs.AllText, StringComparison.Ordinal);

        async Task AssertFailsChangingNothing(ReconcileOptions failing, string why)
        {
            var result = await TestPipeline.Create(failing, api, loggers.CreateLogger<ReconcilePipeline>()).RunAsync(skipWhenUnchanged: false, default);
            Assert.Equal(ReconcileReason.DecryptionFailed, result.Reason);
            Assert.Equal(Blocker.None, result.BlockedOn);
            Assert.Contains("clusters/test/app.sops.yaml", result.Message, StringComparison.Ordinal);
            Assert.Contains(why, result.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(secretValue, result.Message, StringComparison.Ordinal);
            var notFound = await Assert.ThrowsAsync<Homelab.Reconciler.Kubernetes.KubeApiException>(() => api.GetAsync(ExecutablePath + $"{prefix}-b", default));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, notFound.StatusCode);
            Assert.Equal(liveBefore, (await api.GetAsync(ExecutablePath + $"{prefix}-app", default))!["spec"]!.ToJsonString());
            Assert.Equal(inventoryBefore, await File.ReadAllTextAsync(failing.Inventory(api.Server, loggers.CreateLogger("t")).FilePath));
        }
    }

    [Fact]
    public void A_plaintext_Secret_is_warned_about_once_per_revision_and_an_encrypted_Secret_decrypts_without_its_sops_field()
    {
        var key = AgeIdentity.Generate();
        var secret = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: sealed
              namespace: apps
            stringData:
              password: s-9c2d
            """;
        using var repository = new ScratchRepository();
        repository.Write("clusters/test/plain.yaml", """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"plain","namespace":"apps"},"stringData":{"password":"p-4e1f"}}""")
            .Write("clusters/test/secret.yaml", SopsTestFiles.Encrypt("secret.yaml", secret, key, EncryptedRegex));
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(l => l.AddProvider(logs));
        var decryptor = new ManifestDecryptor(() => new SopsResult<IReadOnlyList<AgeIdentity>>([key], null), loggers.CreateLogger("t"));
        var builder = new KustomizeBuilder(BuildLimits.Default);

        var first = decryptor.Render(builder, repository.Root, "clusters/test", "rev1").Objects;
        decryptor.Render(builder, repository.Root, "clusters/test", "rev1");
        decryptor.Render(builder, repository.Root, "clusters/test", "rev2");

        Assert.Equal("s-9c2d", (string?)first[1].Content["stringData"]!["password"]);
        Assert.Null(first[1].Content["sops"]);
        var warnings = logs.Lines.Where(l => l.Contains("committed in plaintext", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("Secret apps/plain is committed in plaintext: encrypt it with `Homelab.Reconciler secrets encrypt clusters/test/plain.yaml`", w, StringComparison.Ordinal));
        Assert.DoesNotContain("p-4e1f", logs.AllText, StringComparison.Ordinal);
    }
}
