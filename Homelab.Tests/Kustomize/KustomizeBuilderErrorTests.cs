using Homelab.Kustomize;

namespace Homelab.Tests.Kustomize;

/// <summary>Bad inputs fail with a one-line message naming the file and the cause.</summary>
public sealed class KustomizeBuilderErrorTests : IDisposable
{
    private const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n";
    private readonly ScratchRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private BuildException Fails(string path = "app", BuildLimits? limits = null)
    {
        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(limits ?? BuildLimits.Default).Build(_repo.Root, path));
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    [Fact]
    public void Invalid_yaml_reports_file_line_and_column()
    {
        _repo.Write("app/kustomization.yaml", "resources: [cm.yaml]\n").Write("app/cm.yaml", "apiVersion: v1\nkind: [unclosed\nmetadata: {name: a}\n");
        var error = Fails();
        Assert.Equal("app/cm.yaml", error.File);
        Assert.Matches(@"^app/cm\.yaml: line \d+, column \d+: invalid YAML", error.Message);
    }

    [Theory]
    [InlineData("apiVersion: [v1]\nkind: ConfigMap\nmetadata: {name: b}\n", "apiVersion: must be a string")]
    [InlineData("apiVersion: v1\nmetadata: {name: a}\n", "missing kind")]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {}}\n", "missing metadata.name")]
    public void Documents_without_identity_name_the_file_and_document(string second, string reason)
    {
        _repo.Write("app/kustomization.yaml", "resources: [cm.yaml]\n").Write("app/cm.yaml", ConfigMap + "---\n" + second);
        var error = Fails();
        Assert.Equal($"app/cm.yaml: document 2: {reason}", error.Message);
    }

    [Fact]
    public void The_same_object_twice_is_an_error()
    {
        _repo.Write("app/kustomization.yaml", "resources: [a.yaml, b.yaml]\n").Write("app/a.yaml", ConfigMap).Write("app/b.yaml", ConfigMap);
        var error = Fails();
        Assert.Contains("app/kustomization.yaml: resources[1]: ConfigMap a from app/b.yaml is already defined in app/a.yaml", error.Message);
    }

    [Fact]
    public void A_kustomization_cycle_is_an_error()
    {
        _repo.Write("app/kustomization.yaml", "resources: [../other]\n").Write("other/kustomization.yaml", "resources: [../app]\n");
        var error = Fails();
        Assert.Contains("kustomization cycle: app -> other -> app", error.Message);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_an_error()
    {
        _repo.Write("app/kustomization.yaml", "resources: [a]\n").Write("app/a/kustomization.yaml", "resources: [b]\n")
            .Write("app/a/b/kustomization.yaml", "resources: [c]\n").Write("app/a/b/c/kustomization.yaml", "resources: []\n");
        var error = Fails(limits: new BuildLimits(MaxDepth: 2));
        Assert.Contains("nest deeper than 2", error.Message);
    }

    [Fact]
    public void Binary_files_are_refused()
    {
        _repo.Write("app/kustomization.yaml", "resources: [blob.yaml]\n").WriteBytes("app/blob.yaml", [0x61, 0x00, 0x62]);
        Assert.Equal("app/blob.yaml: binary file (contains NUL bytes) where text was expected", Fails().Message);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        _repo.Write("app/kustomization.yaml", "resources: [latin1.yaml]\n").WriteBytes("app/latin1.yaml", [.. "apiVersion: v1\n# caf"u8, 0xE9, (byte)'\n']);
        Assert.StartsWith("app/latin1.yaml: invalid UTF-8", Fails().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_over_the_size_cap_are_refused()
    {
        _repo.Write("app/kustomization.yaml", "resources: [big.yaml]\n").Write("app/big.yaml", ConfigMap + "data: {x: \"" + new string('x', 2000) + "\"}\n");
        var error = Fails(limits: new BuildLimits(MaxFileBytes: 1024));
        Assert.StartsWith("app/big.yaml: file is ", error.Message, StringComparison.Ordinal);
        Assert.Contains("over the limit of 1024", error.Message);
    }

    [Fact]
    public void A_billion_laughs_alias_bomb_fails_fast()
    {
        var bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
        var previous = "a";
        foreach (var level in new[] { "b", "c", "d", "e", "f", "g", "h", "i" })
        {
            bomb += $"  {level}: &{level} [{string.Join(",", Enumerable.Repeat("*" + previous, 9))}]\n";
            previous = level;
        }
        _repo.Write("app/kustomization.yaml", "resources: [bomb.yaml]\n").Write("app/bomb.yaml", bomb);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = Fails();
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Matches(@"^app/bomb\.yaml: line \d+, column \d+: YAML alias expansion exceeds the limit of 10000 nodes", error.Message);
    }

    [Theory]
    [InlineData("helmCharts: []")]
    [InlineData("helmGlobals: {}")]
    [InlineData("crds: []")]
    [InlineData("generators: []")]
    [InlineData("buildMetadata: []")]
    public void Unsupported_fields_name_the_field(string line)
    {
        _repo.Write("app/kustomization.yaml", line + "\n");
        var field = line[..line.IndexOf(':', StringComparison.Ordinal)];
        var error = Fails();
        Assert.Equal($"app/kustomization.yaml: {field}: field is not supported by this renderer", error.Message);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Unknown_fields_are_errors()
    {
        _repo.Write("app/kustomization.yaml", "resource: [a.yaml]\n");
        Assert.Equal("app/kustomization.yaml: resource: unknown field", Fails().Message);
    }

    [Theory]
    [InlineData("github.com/acme/repo//deploy?ref=v1")]
    [InlineData("https://example.com/app.yaml")]
    [InlineData("git@github.com:acme/repo.git")]
    public void Remote_resources_are_refused(string remote)
    {
        _repo.Write("app/kustomization.yaml", $"resources: [\"{remote}\"]\n");
        Assert.Contains("resources[0]: remote resource", Fails().Message);
    }

    [Fact]
    public void A_strategic_merge_patch_matching_nothing_is_an_error_like_kubectl()
    {
        _repo.Write("app/kustomization.yaml", "resources: [cm.yaml]\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: nope}\n").Write("app/cm.yaml", ConfigMap);
        Assert.Equal("app/kustomization.yaml: patches[0]: no resource matches strategic merge patch for ConfigMap nope", Fails().Message);
    }

    [Fact]
    public void A_targeted_patch_matching_nothing_is_fine_like_kubectl()
    {
        _repo.Write("app/kustomization.yaml", "resources: [cm.yaml]\npatches:\n  - target: {name: nope}\n    patch: '[{\"op\": \"add\", \"path\": \"/x\", \"value\": 1}]'\n").Write("app/cm.yaml", ConfigMap);
        Assert.Single(new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app"));
    }

    [Fact]
    public void A_failing_json_patch_test_op_names_the_patch()
    {
        _repo.Write("app/kustomization.yaml", "resources: [cm.yaml]\npatches:\n  - target: {kind: ConfigMap}\n    path: p.yaml\n").Write("app/cm.yaml", ConfigMap)
            .Write("app/p.yaml", "- {op: test, path: /metadata/name, value: b}\n");
        Assert.StartsWith("app/p.yaml: JSON 6902 patch on ConfigMap a: operation 0 (test /metadata/name): test failed", Fails().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_resources_are_errors()
    {
        _repo.Write("app/kustomization.yaml", "resources: [nothere.yaml]\n");
        Assert.Equal("app/kustomization.yaml: resources[0]: 'nothere.yaml' does not exist", Fails().Message);
    }

    [Fact]
    public void Empty_documents_are_skipped()
    {
        _repo.Write("app/kustomization.yaml", "resources: [cm.yaml]\n").Write("app/cm.yaml", "---\n---\n# only a comment\n---\n" + ConfigMap + "---\n");
        Assert.Single(new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app"));
    }

    [Fact]
    public void A_resource_folder_without_kustomization_is_an_error_like_kubectl()
    {
        _repo.Write("app/kustomization.yaml", "resources: [plain]\n").Write("app/plain/cm.yaml", ConfigMap);
        Assert.Equal("app/plain: folder listed in resources has no kustomization.yaml, kustomization.yml or Kustomization", Fails().Message);
    }

    [Fact]
    public void Unquoted_numbers_in_string_fields_are_errors_like_kubectl()
    {
        _repo.Write("app/kustomization.yaml", "commonLabels: {version: 1.0}\n");
        Assert.Equal("app/kustomization.yaml: commonLabels.version: must be a string, not 1 (quote it, as kubectl kustomize requires)", Fails().Message);
    }
}
