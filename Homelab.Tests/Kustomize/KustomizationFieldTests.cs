using System.Text.Json.Nodes;
using Homelab.Kustomize;

namespace Homelab.Tests.Kustomize;

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

    [Fact]
    public void A_component_adds_to_and_transforms_what_its_kustomization_accumulated_before_its_own_transformers()
    {
        _repo.Write("components/team/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [sa.yaml]\ncommonLabels: {team: a}\n")
            .Write("components/team/sa.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: s}\n")
            .Write("app/kustomization.yaml", "resources: [cm.yaml]\ncomponents: [../components/team]\nnamePrefix: p-\n").Write("app/cm.yaml", ConfigMap);

        var objects = Build();

        Assert.Equal(["p-s", "p-a"], objects.Select(o => (string)o["metadata"]!["name"]!));
        Assert.All(objects, o => Assert.Equal("a", (string?)o["metadata"]!["labels"]!["team"]));
    }

    [Fact]
    public void A_component_in_resources_is_refused()
    {
        _repo.Write("c/kustomization.yaml", "kind: Component\n").Write("app/kustomization.yaml", "resources: [../c]\n");

        var error = Assert.Throws<BuildException>(() => Build());
        Assert.Equal("c/kustomization.yaml: kind: a Component cannot be listed in resources; list it in components", error.Message);
    }
}
