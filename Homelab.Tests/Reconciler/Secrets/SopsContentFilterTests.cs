using System.Text;
using Homelab.Kustomize;
using Homelab.Reconciler.Secrets;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Kustomize;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Reconciler.Secrets;

/// <summary>
/// SOPS files decrypted as the build reads them, checked on the rendered objects: transformers reach encrypted Secrets,
/// encrypted secretGenerator sources give their plaintext data, and the result is what <c>kubectl kustomize</c> renders
/// from the same tree decrypted. Files that cannot be decrypted fail the build naming them.
/// </summary>
public sealed class SopsContentFilterTests : IDisposable
{
    private const string EncryptedRegex = "^(data|stringData)$";

    private const string Secret = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          labels:
            app: db
        type: Opaque
        stringData:
          password: pw-71c3
          port: "5432"

        """;

    private const string Kustomization = """
        namespace: team
        namePrefix: p-
        commonLabels: {tier: data}
        labels:
        - pairs: {owner: alice}
        commonAnnotations: {note: kept}
        resources: [secret.sops.yaml, base]
        secretGenerator:
        - name: creds
          envs: [creds.sops.env]
          files: [config.yaml, settings.json, token.bin]

        """;

    private static readonly string[] Plaintexts = ["pw-71c3", "env-9a1b", "yaml-5e2d", "json-3f4a", "bin-8c6e"];

    private readonly AgeIdentity _key = AgeIdentity.Generate();
    private readonly ScratchRepository _repo = new();
    private readonly ScratchRepository _decrypted = new();

    public void Dispose()
    {
        _repo.Dispose();
        _decrypted.Dispose();
    }

    [Fact]
    public async Task Transformers_reach_an_encrypted_Secret_and_encrypted_generator_sources_give_their_plaintext_as_kubectl_renders_the_decrypted_tree()
    {
        WriteTree();
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(l => l.AddProvider(logs));

        var (objects, decrypted) = Decryptor(loggers, _key).Render(new KustomizeBuilder(BuildLimits.Default), _repo.Root, "app", "rev1");

        Assert.Equal(5, decrypted);
        var secret = objects.Single(o => o.Origin == "app/secret.sops.yaml").Content;
        Assert.Null(secret["sops"]);
        Assert.Equal("p-db", (string?)secret["metadata"]!["name"]);
        Assert.Equal("team", (string?)secret["metadata"]!["namespace"]);
        Assert.Equal("""{"app":"db","owner":"alice","tier":"data"}""", secret["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("kept", (string?)secret["metadata"]!["annotations"]!["note"]);
        Assert.Equal("pw-71c3", (string?)secret["stringData"]!["password"]);
        var creds = objects.Single(o => ((string?)o.Content["metadata"]!["name"])!.StartsWith("p-creds-", StringComparison.Ordinal)).Content;
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["PASSWORD"] = "env-9a1b",
                ["USER"] = "admin",
                ["config.yaml"] = "password: yaml-5e2d\n",
                ["settings.json"] = "{\n  \"password\": \"json-3f4a\"\n}\n",
                ["token.bin"] = "bin-8c6e\n",
            },
            creds["data"]!.AsObject().ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(Convert.FromBase64String((string)p.Value!))));

        // kubectl kustomize on the tree decrypted on disk (by the test: the reconciler never writes plaintext) renders the same, hash suffixes included.
        await KubectlKustomize.AssertRendersAsync(Path.Combine(_decrypted.Root, "app"), [.. objects.Select(o => o.Content)]);

        // Only the Secret generated from a literal is plaintext in Git, and only it is warned about.
        var warning = Assert.Single(logs.Lines, l => l.Contains("committed in plaintext", StringComparison.Ordinal));
        Assert.Contains("Secret team/p-literal-", warning, StringComparison.Ordinal);
        Assert.All(Plaintexts, p => Assert.DoesNotContain(p, logs.AllText, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_filter_the_files_build_as_committed_and_an_encrypted_ConfigMap_source_is_left_alone()
    {
        WriteTree();
        _repo.Write("app/kustomization.yaml", Kustomization + "configMapGenerator:\n- name: cm\n  envs: [creds.sops.env]\n");

        var plain = new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app");
        var filtered = Decryptor(null, _key).Render(new KustomizeBuilder(BuildLimits.Default), _repo.Root, "app", "rev1").Objects;

        var everything = string.Join('\n', plain.Select(o => o.ToJsonString()));
        Assert.All(Plaintexts, p => Assert.DoesNotContain(p, everything, StringComparison.Ordinal));
        var configMap = filtered.Single(o => (string?)o.Content["kind"] == "ConfigMap").Content;
        Assert.StartsWith("ENC[AES256_GCM,", (string?)configMap["data"]!["PASSWORD"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_multi_document_file_decrypts_as_one_sops_tree_and_separately_encrypted_documents_are_refused_naming_the_file()
    {
        var second = Secret.Replace("name: db", "name: cache", StringComparison.Ordinal).Replace("pw-71c3", "pw-2b9d", StringComparison.Ordinal);
        _repo.Write("multi/kustomization.yaml", "resources: [both.sops.yaml]\n")
            .Write("multi/both.sops.yaml", SopsTestFiles.Encrypt("both.sops.yaml", Secret + "---\n" + second, _key, EncryptedRegex));

        var objects = Decryptor(null, _key).Render(new KustomizeBuilder(BuildLimits.Default), _repo.Root, "multi", "rev1").Objects;

        Assert.Equal(["pw-2b9d", "pw-71c3"], objects.Select(o => (string?)o.Content["stringData"]!["password"]).Order(StringComparer.Ordinal));
        _repo.Write("multi/both.sops.yaml", SopsTestFiles.Encrypt("a.yaml", Secret, _key, EncryptedRegex) + "---\n" + SopsTestFiles.Encrypt("b.yaml", second, _key, EncryptedRegex));
        var error = Assert.Throws<FileContentException>(() => Decryptor(null, _key).Render(new KustomizeBuilder(BuildLimits.Default), _repo.Root, "multi", "rev2"));
        Assert.Equal("multi/both.sops.yaml", error.File);
        Assert.Contains("Unsupported: YAML document 2 does not carry the first document's sops metadata", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app/creds.sops.env", "NoMatchingKey")]
    [InlineData("app/token.bin", "Tampered")]
    [InlineData("app/secret.sops.yaml", "MacMismatch")]
    [InlineData("app/secret.sops.yaml", "there is no age key")]
    public void A_file_that_cannot_be_decrypted_fails_the_build_naming_it_and_never_a_value(string file, string why)
    {
        WriteTree();
        var path = Path.Combine(_repo.Root, file);
        var text = File.ReadAllText(path);
        switch (why)
        {
            case "NoMatchingKey":
                _repo.Write(file, SopsTestFiles.Encrypt(file, "USER=admin\nPASSWORD=env-9a1b\n", AgeIdentity.Generate()));
                break;
            case "Tampered":
                var at = text.IndexOf("data:", StringComparison.Ordinal) + "data:".Length;
                _repo.Write(file, string.Concat(text.AsSpan(0, at), text[at] == 'A' ? "B" : "A", text.AsSpan(at + 1)));
                break;
            case "MacMismatch":
                // An unencrypted value edited outside sops: every value opens, the MAC over them does not match.
                _repo.Write(file, text.Replace("name: db", "name: dc", StringComparison.Ordinal));
                break;
        }

        var keys = why == "there is no age key" ? [] : new[] { _key };
        var error = Assert.Throws<FileContentException>(() => new ManifestDecryptor(() => new(keys, null), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            .Render(new KustomizeBuilder(BuildLimits.Default), _repo.Root, "app", "rev1"));

        Assert.Equal(file, error.File);
        Assert.StartsWith($"{file}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.All(Plaintexts, p => Assert.DoesNotContain(p, error.ToString(), StringComparison.Ordinal));
    }

    private static ManifestDecryptor Decryptor(ILoggerFactory? loggers, AgeIdentity key) =>
        new(() => new SopsResult<IReadOnlyList<AgeIdentity>>([key], null), loggers?.CreateLogger("t") ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    /// <summary>The tree with its secrets encrypted in the repository, and decrypted (by sops' rules: as <c>sops -d</c> writes them) in the reference copy.</summary>
    private void WriteTree()
    {
        var files = new Dictionary<string, (string Plain, string Encrypted)>(StringComparer.Ordinal)
        {
            ["app/secret.sops.yaml"] = Encrypted("secret.sops.yaml", Secret, EncryptedRegex),
            ["app/creds.sops.env"] = Encrypted("creds.sops.env", "USER=admin\nPASSWORD=env-9a1b\n"),
            ["app/config.yaml"] = Encrypted("config.yaml", "password: yaml-5e2d\n"),
            ["app/settings.json"] = Encrypted("settings.json", """{"password": "json-3f4a"}"""),
            // sops' binary format is its JSON store holding the whole file under "data".
            ["app/token.bin"] = ("bin-8c6e\n", SopsTestFiles.Encrypt("token.json", """{"data": "bin-8c6e\n"}""", _key)),
        };
        const string Base = "secretGenerator:\n- name: literal\n  literals: [KEY=plain-literal]\n";
        _repo.Write("app/kustomization.yaml", Kustomization).Write("app/base/kustomization.yaml", Base);
        _decrypted.Write("app/kustomization.yaml", Kustomization).Write("app/base/kustomization.yaml", Base);
        foreach (var (path, (plain, encrypted)) in files)
        {
            _repo.Write(path, encrypted);
            _decrypted.Write(path, plain);
        }
    }

    /// <summary>The encrypted text and what decrypting it gives (which kustomize then reads).</summary>
    private (string Plain, string Encrypted) Encrypted(string name, string plaintext, string? encryptedRegex = null)
    {
        var encrypted = SopsTestFiles.Encrypt(name, plaintext, _key, encryptedRegex);
        var plain = SopsFile.Decrypt(name, encrypted, [_key]);
        Assert.True(plain.Succeeded, plain.Error?.ToString());
        return (plain.Value!, encrypted);
    }
}
