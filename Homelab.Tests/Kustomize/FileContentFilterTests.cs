using Homelab.Kustomize;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Kustomize;

/// <summary>
/// The content hook: every resource file and generator source goes through it as it is read, before any transformer, so
/// what it returns renders exactly as that content committed would (kubectl kustomize on the plain tree is the reference);
/// refusals are <see cref="FileContentException"/>s naming the file; the size limit holds on both sides of it.
/// </summary>
public sealed class FileContentFilterTests : IDisposable
{
    private const string Kustomization = """
        namespace: team
        namePrefix: p-
        commonLabels: {tier: db}
        labels:
        - pairs: {owner: alice}
        commonAnnotations: {note: kept}
        resources: [secret.yaml, plain.yaml]
        patches:
        - path: patch.yaml
        secretGenerator:
        - name: creds
          envs: [creds.env]
          files: [token.txt]
        configMapGenerator:
        - name: settings
          files: [settings.txt]
          envs: [settings.env]
        """;

    private static readonly Dictionary<string, string> Plain = new(StringComparer.Ordinal)
    {
        ["app/secret.yaml"] = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: pw-1\n",
        ["app/plain.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\ndata: {a: b}\n",
        ["app/patch.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\ndata: {patched: \"yes\"}\n",
        ["app/creds.env"] = "USER=admin\nPASSWORD=pw-2\n",
        ["app/token.txt"] = "tok-3\n",
        ["app/settings.txt"] = "level=debug\n",
        ["app/settings.env"] = "MODE=fast\n",
    };

    /// <summary>The files committed encoded; the others as they are.</summary>
    private static readonly string[] Encoded = ["app/secret.yaml", "app/creds.env", "app/token.txt", "app/settings.env"];

    private readonly ScratchRepository _repo = new();
    private readonly ScratchRepository _plain = new();

    public void Dispose()
    {
        _repo.Dispose();
        _plain.Dispose();
    }

    [Fact]
    public async Task Filtered_files_render_as_their_replacement_committed_would_through_every_transformer_and_generator()
    {
        WriteTree();
        var filter = new EncodedFilesFilter();

        var actual = new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app", filter);

        await KubectlKustomize.AssertRendersAsync(Path.Combine(_plain.Root, "app"), actual);

        // The transformers reached the replaced Secret: it is not the encoded text kustomize would otherwise refuse.
        var secret = actual.Single(o => (string?)o["metadata"]!["name"] == "p-db");
        Assert.Equal("team", (string?)secret["metadata"]!["namespace"]);
        Assert.Equal("pw-1", (string?)secret["stringData"]!["password"]);
        Assert.Equal("alice", (string?)secret["metadata"]!["labels"]!["owner"]);
        Assert.Equal(
            [
                ("app/plain.yaml", FileRole.Resource, "app/kustomization.yaml"),
                ("app/secret.yaml", FileRole.Resource, "app/kustomization.yaml"),
                ("app/token.txt", FileRole.SecretGeneratorFile, "app/kustomization.yaml"),
                ("app/creds.env", FileRole.SecretGeneratorEnv, "app/kustomization.yaml"),
                ("app/settings.txt", FileRole.ConfigMapGeneratorFile, "app/kustomization.yaml"),
                ("app/settings.env", FileRole.ConfigMapGeneratorEnv, "app/kustomization.yaml"),
            ],
            filter.Calls.OrderBy(c => c.Role).ThenBy(c => c.Path, StringComparer.Ordinal));
    }

    [Fact]
    public void A_folder_without_kustomization_filters_its_files_referenced_by_the_folder()
    {
        _repo.Write("plain/a.yaml", EncodedFilesFilter.Encode(Plain["app/secret.yaml"]));
        var filter = new EncodedFilesFilter();

        var objects = new KustomizeBuilder(BuildLimits.Default).Render(_repo.Root, "plain", filter);

        Assert.Equal("pw-1", (string?)Assert.Single(objects).Content["stringData"]!["password"]);
        Assert.Equal([("plain/a.yaml", FileRole.Resource, "plain")], filter.Calls);
    }

    [Theory]
    [InlineData("refuse: no key for this file", "app/creds.env: no key for this file")]
    [InlineData("throw: broken", "app/creds.env: the content filter failed: InvalidOperationException: broken")]
    public void A_refusal_or_a_throwing_filter_fails_the_build_with_a_FileContentException_naming_the_file(string content, string message)
    {
        WriteTree();
        _repo.Write("app/creds.env", content);

        var error = Assert.Throws<FileContentException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app", new EncodedFilesFilter()));

        Assert.Equal("app/creds.env", error.File);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_size_limit_holds_before_the_filter_and_on_what_it_returns()
    {
        var limits = new BuildLimits(MaxFileBytes: 1024);
        WriteTree();
        _repo.Write("app/token.txt", "grow:");
        var filter = new EncodedFilesFilter { GrowTo = 1025 };
        var grown = Assert.Throws<BuildException>(() => new KustomizeBuilder(limits).Build(_repo.Root, "app", filter));
        Assert.Equal("app/token.txt: the content filter made it 1025 bytes, over the limit of 1024", grown.Message);

        _repo.Write("app/token.txt", "b64:" + new string('A', 2000));
        filter.Calls.Clear();
        var large = Assert.Throws<BuildException>(() => new KustomizeBuilder(limits).Build(_repo.Root, "app", filter));
        Assert.Equal("app/token.txt: file is 2004 bytes, over the limit of 1024", large.Message);
        Assert.DoesNotContain(filter.Calls, c => c.Path == "app/token.txt");
    }

    /// <summary>The tree committed (some files encoded) in the repository, and as plaintext in the reference copy.</summary>
    private void WriteTree()
    {
        _repo.Write("app/kustomization.yaml", Kustomization);
        _plain.Write("app/kustomization.yaml", Kustomization);
        foreach (var (path, text) in Plain)
        {
            _repo.Write(path, Encoded.Contains(path) ? EncodedFilesFilter.Encode(text) : text);
            _plain.Write(path, text);
        }
    }
}
