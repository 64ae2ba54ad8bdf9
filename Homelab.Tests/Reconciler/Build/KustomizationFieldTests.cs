using System.Text.Json.Nodes;
using Homelab.Reconciler.Build;

namespace Homelab.Tests.Reconciler.Build;

/// <summary>Kustomization fields as kustomize reads them: any spelling case, the deprecated 'bases', an ignored 'metadata'.</summary>
public sealed class KustomizationFieldTests : IDisposable
{
    private const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n";
    private readonly ScratchRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private IReadOnlyList<JsonObject> Build(string path = "app") => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, path);

    [Fact]
    public void Field_names_match_regardless_of_case_like_go_json()
    {
        _repo.Write("app/kustomization.yaml", "Resources: [cm.yaml]\npatchesJSON6902:\n- target: {kind: ConfigMap, name: a}\n  patch: '[{op: add, path: /data, value: {k: v}}]'\n")
            .Write("app/cm.yaml", ConfigMap);

        Assert.Equal("v", (string?)Build().Single()["data"]!["k"]);
    }

    [Fact]
    public void Bases_are_resources_listed_after_the_others()
    {
        _repo.Write("base/kustomization.yaml", "resources: [cm.yaml]\n").Write("base/cm.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: b}\n")
            .Write("app/kustomization.yaml", "bases: [../base]\nresources: [cm.yaml]\n").Write("app/cm.yaml", ConfigMap);

        Assert.Equal(["a", "b"], Build().Select(o => (string)o["metadata"]!["name"]!));
    }

    [Fact]
    public void A_kustomizations_metadata_is_ignored()
    {
        _repo.Write("app/kustomization.yaml", "metadata: {name: ignored}\nresources: [cm.yaml]\n").Write("app/cm.yaml", ConfigMap);

        Assert.Single(Build());
    }

    [Fact]
    public void Unsupported_fields_are_refused_in_any_spelling()
    {
        _repo.Write("app/kustomization.yaml", "HelmCharts: []\n");

        var error = Assert.Throws<BuildException>(() => Build());
        Assert.Equal("app/kustomization.yaml: HelmCharts: field is not supported by this renderer", error.Message);
    }
}
