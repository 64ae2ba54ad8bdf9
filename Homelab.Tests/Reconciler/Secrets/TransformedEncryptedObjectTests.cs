using Homelab.Reconciler.Reconcile;
using Homelab.Secrets.Age;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Reconciler.Secrets;

/// <summary>
/// Encrypted objects under kustomize transformers, on a real Git repository and DCP. DCP serves no core/v1 (no Secrets), so
/// the encrypted object is an Executable whose <c>spec.env</c> is encrypted as a Secret's <c>data</c> is, with the MAC over
/// every value (the name and labels included): only decryption before the transformers lets it apply.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class TransformedEncryptedObjectTests(DcpFixture dcp)
{
    private const string ExecutablePath = "/apis/usvc-dev.developer.microsoft.com/v1/executables/";

    [Fact]
    public async Task An_encrypted_object_applies_with_the_transformed_name_labels_and_annotations_and_an_undecryptable_generator_source_fails_the_revision_changing_nothing()
    {
        var prefix = Manifests.Prefix();
        var secretValue = $"v-{Guid.NewGuid():N}";
        var key = AgeIdentity.Generate();
        var repository = GitRepository.Create();
        var kustomization = $"""
            namePrefix: {prefix}-
            commonLabels: {"{"}tier: data{"}"}
            labels:
            - pairs: {"{"}owner: alice{"}"}
            commonAnnotations: {"{"}note: kept{"}"}
            resources: [app.sops.yaml, old.yaml]

            """;
        repository.Write("clusters/test/kustomization.yaml", kustomization)
            .Write("clusters/test/app.sops.yaml", SopsTestFiles.Encrypt("app.sops.yaml", Yaml.EnvExecutable("app", secretValue), key, "^env$"))
            .Write("clusters/test/old.yaml", Yaml.Executable("old")).Commit("encrypted under transformers");
        var options = TestPipeline.Options(repository.Root);
        options.AgeKeyFile = SopsTestFiles.WriteKey(key);
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var api = dcp.Server.Connect();

        var applied = await TestPipeline.Create(options, api, loggers.CreateLogger<ReconcilePipeline>()).RunAsync(skipWhenUnchanged: false, default);

        Assert.True(applied.Ready, applied.Message);
        var live = (await api.GetAsync(ExecutablePath + $"{prefix}-app", default))!;
        Assert.Equal(secretValue, (string?)live["spec"]!["env"]![0]!["value"]);
        Assert.Null(live["sops"]);
        Assert.Equal("data", (string?)live["metadata"]!["labels"]!["tier"]);
        Assert.Equal("alice", (string?)live["metadata"]!["labels"]!["owner"]);
        Assert.Equal("kept", (string?)live["metadata"]!["annotations"]!["note"]);
        var liveBefore = live["spec"]!.ToJsonString();
        var inventoryBefore = await File.ReadAllTextAsync(options.Inventory(api.Server, loggers.CreateLogger("t")).FilePath);

        // A diff prints what changes, never a decrypted value.
        repository.Write("clusters/test/app.sops.yaml", SopsTestFiles.Encrypt("app.sops.yaml", Yaml.EnvExecutable("app", secretValue + "-next"), key, "^env$")).Commit("rotated");
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Reconciler:AgeKeyFile"] = options.AgeKeyFile }).Build();
        var diff = await ReconcileOnceTests.RunCliAsync(settings, "diff", "--source", repository.Root, "--path", "clusters/test", "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", options.StateDirectory, "--quiet");
        Assert.Equal(1, diff.ExitCode);
        Assert.Contains($"{prefix}-app", diff.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(secretValue, diff.Output, StringComparison.Ordinal);

        // A secretGenerator source encrypted to another key: DecryptionFailed naming it; nothing created, nothing pruned.
        repository.Write("clusters/test/kustomization.yaml", kustomization.Replace("old.yaml]", "new.yaml]", StringComparison.Ordinal) + "secretGenerator:\n- name: creds\n  envs: [creds.sops.env]\n")
            .Write("clusters/test/creds.sops.env", SopsTestFiles.Encrypt("creds.sops.env", "PASSWORD=env-4c1d\n", AgeIdentity.Generate()))
            .Write("clusters/test/new.yaml", Yaml.Executable("new")).Delete("clusters/test/old.yaml").Commit("undecryptable generator source");

        var failed = await TestPipeline.Create(options, api, loggers.CreateLogger<ReconcilePipeline>()).RunAsync(skipWhenUnchanged: false, default);

        Assert.Equal(ReconcileReason.DecryptionFailed, failed.Reason);
        Assert.Equal(Blocker.None, failed.BlockedOn);
        Assert.StartsWith("clusters/test/creds.sops.env: cannot be decrypted: NoMatchingKey:", failed.Message, StringComparison.Ordinal);
        var notFound = await Assert.ThrowsAsync<Homelab.Reconciler.Kubernetes.KubeApiException>(() => api.GetAsync(ExecutablePath + $"{prefix}-new", default));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.NotNull(await api.GetAsync(ExecutablePath + $"{prefix}-old", default));
        Assert.Equal(liveBefore, (await api.GetAsync(ExecutablePath + $"{prefix}-app", default))!["spec"]!.ToJsonString());
        Assert.Equal(inventoryBefore, await File.ReadAllTextAsync(options.Inventory(api.Server, loggers.CreateLogger("t")).FilePath));
        Assert.DoesNotContain(secretValue, logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("env-4c1d", logs.AllText, StringComparison.Ordinal);
    }
}
