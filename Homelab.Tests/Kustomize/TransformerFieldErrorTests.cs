using Homelab.Kustomize;

namespace Homelab.Tests.Kustomize;

/// <summary>
/// Malformed <c>replacements</c>, <c>vars</c>, <c>transformers</c> and <c>openapi</c> fail with one line naming the file and the field,
/// never with a crash; where kubectl kustomize refuses the input, so do we.
/// </summary>
public sealed class TransformerFieldErrorTests : IDisposable
{
    private const string Objects = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: a}
        data: {host: db, port: "5432"}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: b}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
              - {name: web, image: nginx, args: ["$(HOST)"]}
        """;

    private readonly ScratchRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private BuildException Fails(string kustomization)
    {
        _repo.Write("app/objects.yaml", Objects).Write("app/kustomization.yaml", "resources: [objects.yaml]\n" + kustomization);
        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app"));
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    [Theory]
    [InlineData("replacements:\n- source: {kind: Secret}\n  targets: []\n", "replacements[0].source: nothing selected by replacement source Secret")]
    [InlineData("replacements:\n- source: {kind: ConfigMap}\n  targets: []\n", "replacements[0].source: replacement source ConfigMap selects 2 objects")]
    [InlineData("replacements:\n- source: {kind: ConfigMap, name: a, fieldPath: data.nope}\n  targets: []\n", "replacements[0].source.fieldPath: 'data.nope' is missing in replacement source ConfigMap a")]
    [InlineData("replacements:\n- source: {kind: ConfigMap, name: a}\n  targets: [{select: {kind: Deployment}, fieldPaths: [spec.replicas]}]\n", "replacements[0].targets[0].fieldPaths: unable to find field 'spec.replicas' in replacement target apps/Deployment web")]
    [InlineData("replacements:\n- source: {kind: ConfigMap, name: a}\n  targets: [{fieldPaths: [spec.replicas]}]\n", "replacements[0].targets[0].select: a target must select objects")]
    [InlineData("replacements:\n- source: {kind: ConfigMap, name: a}\n  targets: [{select: {kind: Deployment}, fieldPaths: [spec.template.spec.containers.image]}]\n", "replacements[0].targets[0].fieldPaths: 'spec.template.spec.containers.image' in apps/Deployment web: 'image' names a field, but the value there is a sequence")]
    [InlineData("replacements:\n- source: {kind: ConfigMap, name: a}\n  targets: [{select: {kind: Deployment}, fieldPaths: [spec.template.*], options: {create: true}}]\n", "replacements[0].targets[0].fieldPaths: 'spec.template.*' in apps/Deployment web: '*' selects sequence items, but the value there is a mapping")]
    [InlineData("replacements:\n- source: {kind: ConfigMap, name: a, fieldPath: data.host, options: {delimiter: '.', index: 3}}\n  targets: []\n", "replacements[0].source.options.index: index 3 is out of bounds for value 'db'")]
    [InlineData("replacements:\n- source: {kind: ConfigMap, name: a, fieldPath: data}\n  targets: [{select: {kind: Deployment}, fieldPaths: [metadata.name], options: {delimiter: '-'}}]\n", "replacements[0].targets[0].options.delimiter: a delimiter can only be used on scalar values")]
    [InlineData("replacements:\n- source: {kind: ConfigMap, name: a}\n  targets: [{select: {kind: Deployment}, options: {index: one}}]\n", "replacements[0].targets[0].options.index: must be an integer")]
    [InlineData("replacements:\n- source: {kind: ConfigMap, name: a}\n  target: []\n", "replacements[0].target: unknown or unsupported field")]
    [InlineData("replacements:\n- source: 3\n", "replacements[0].source: must be a mapping")]
    public void Malformed_replacements_name_the_field(string kustomization, string expected)
    {
        Assert.StartsWith($"app/kustomization.yaml: {expected}", Fails(kustomization).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replacements_file_names_itself_and_must_exist()
    {
        _repo.Write("app/replacements.yaml", "- source: {kind: Nothing}\n  targets: []\n");
        Assert.Equal("app/replacements.yaml: [0].source: nothing selected by replacement source Nothing", Fails("replacements: [{path: replacements.yaml}]\n").Message);
        Assert.Equal("app/missing.yaml: file not found", Fails("replacements: [{path: missing.yaml}]\n").Message);
    }

    [Theory]
    [InlineData("vars:\n- {name: HOST, objref: {kind: ConfigMap, name: a}}\n", "vars[0].objref: var 'HOST' names no object of the build")]
    [InlineData("vars:\n- {name: HOST, objref: {apiVersion: v1, kind: ConfigMap, name: a}, fieldref: {fieldpath: data.nope}}\n", "vars[0].fieldref: var 'HOST': ConfigMap a has no field 'data.nope'")]
    [InlineData("vars:\n- {name: HOST, objref: {apiVersion: v1, kind: ConfigMap, name: a}}\n- {name: HOST, objref: {apiVersion: v1, kind: ConfigMap, name: b}}\n", "vars[1].name: var 'HOST' is already defined in app/kustomization.yaml")]
    [InlineData("vars:\n- {objref: {apiVersion: v1, kind: ConfigMap, name: a}}\n", "vars[0].name: a var needs a name")]
    [InlineData("vars:\n- {name: HOST, objref: [ConfigMap]}\n", "vars[0].objref: must be a mapping")]
    [InlineData("vars:\n- {name: HOST, objref: {apiVersion: v1, kind: ConfigMap, name: a}, fieldref: {path: x}}\n", "vars[0].fieldref.path: unknown or unsupported field")]
    public void Malformed_vars_name_the_field(string kustomization, string expected)
    {
        Assert.StartsWith($"app/kustomization.yaml: {expected}", Fails(kustomization).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_var_defined_in_a_base_and_again_in_the_overlay_is_an_error()
    {
        _repo.Write("base/objects.yaml", Objects)
            .Write("base/kustomization.yaml", "resources: [objects.yaml]\nvars:\n- {name: HOST, objref: {apiVersion: v1, kind: ConfigMap, name: a}}\n")
            .Write("app/kustomization.yaml", "resources: [../base]\nvars:\n- {name: HOST, objref: {apiVersion: v1, kind: ConfigMap, name: b}}\n");
        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app"));
        Assert.Equal("app/kustomization.yaml: vars[0].name: var 'HOST' is already defined in base/kustomization.yaml", error.Message);
    }

    [Theory]
    [InlineData("transformers:\n- |-\n  apiVersion: someteam.example.com/v1\n  kind: ChartInflator\n  metadata: {name: x}\n", "app/kustomization.yaml: transformers[0]: someteam.example.com/v1/ChartInflator is a transformer plugin (exec or container function), not supported by this renderer")]
    [InlineData("transformers:\n- |-\n  apiVersion: builtin\n  kind: HashTransformer\n  metadata: {name: x}\n", "app/kustomization.yaml: kind: 'HashTransformer' is not a built-in transformer this renderer runs")]
    [InlineData("transformers:\n- |-\n  apiVersion: builtin\n  kind: LabelTransformer\n  metadata: {name: x}\n  labels: {a: [b]}\n", "app/kustomization.yaml: labels.a: must be a string")]
    [InlineData("transformers:\n- |-\n  apiVersion: builtin\n  kind: LabelTransformer\n  metadata: {name: x}\n  label: {a: b}\n", "app/kustomization.yaml: LabelTransformer.label: unknown or unsupported field")]
    [InlineData("transformers:\n- |-\n  apiVersion: builtin\n  kind: AnnotationsTransformer\n  metadata: {name: x}\n  annotations: {a: b}\n  fieldSpecs: [{kind: Deployment}]\n", "app/kustomization.yaml: fieldSpecs[0].path: required")]
    [InlineData("transformers:\n- |-\n  apiVersion: builtin\n  kind: ReplicaCountTransformer\n  metadata: {name: x}\n  replica: {name: web, count: 2}\n", "app/kustomization.yaml: fieldSpecs: a ReplicaCountTransformer needs fieldSpecs")]
    [InlineData("transformers:\n- |-\n  apiVersion: builtin\n  kind: ValueAddTransformer\n  metadata: {name: x}\n  targets: [{fieldPath: spec/x, filePathPosition: -1}]\n", "app/kustomization.yaml: targets[0].filePathPosition: must be a whole number")]
    [InlineData("transformers: [missing.yaml]\n", "app/missing.yaml: file not found")]
    [InlineData("transformers: [{path: t.yaml}]\n", "app/kustomization.yaml: transformers[0]: must be a string")]
    [InlineData("transformers:\n- |-\n  - a\n  - b\n", "app/kustomization.yaml: a transformer config must be a mapping")]
    public void Malformed_transformers_name_the_file_and_field(string kustomization, string expected)
    {
        Assert.StartsWith(expected, Fails(kustomization).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_config_in_a_file_names_the_listing_kustomization_and_entry()
    {
        _repo.Write("app/plugin.yaml", "apiVersion: example.com/v1\nkind: Exec\nmetadata:\n  name: x\n  annotations: {config.kubernetes.io/function: 'exec: {path: ./run}'}\n");
        Assert.Equal("app/kustomization.yaml: transformers[0]: example.com/v1/Exec is a transformer plugin (exec or container function), not supported by this renderer",
            Fails("transformers: [plugin.yaml]\n").Message);
    }

    [Theory]
    [InlineData("openapi: {}\n", "app/kustomization.yaml: openapi.path: required")]
    [InlineData("openapi: {version: v1.21.2}\n", "app/kustomization.yaml: openapi.version: unknown or unsupported field")]
    [InlineData("openapi: {path: missing.json}\n", "app/missing.json: file not found")]
    [InlineData("openapi: {path: objects.yaml}\n", "app/objects.yaml: definitions: an OpenAPI schema must be one mapping with a 'definitions' mapping")]
    public void A_malformed_openapi_field_names_the_file_and_field(string kustomization, string expected)
    {
        Assert.Equal(expected, Fails(kustomization).Message);
    }

    [Theory]
    [InlineData("{\"definitions\": {\"a\": {\"$ref\": \"#/definitions/a\"}, \"d\": {\"x-kubernetes-group-version-kind\": [{\"group\": \"apps\", \"version\": \"v1\", \"kind\": \"Deployment\"}], \"properties\": {\"spec\": {\"$ref\": \"#/definitions/a\"}}}}}", "app/schema.json: definitions: $ref chain too long (a reference cycle?)")]
    [InlineData("{\"definitions\": {\"d\": {\"x-kubernetes-group-version-kind\": [{\"group\": \"apps\", \"version\": \"v1\", \"kind\": \"Deployment\"}], \"properties\": {\"spec\": {\"$ref\": \"other.json#/x\"}}}}}", "app/schema.json: definitions: unsupported $ref '\"other.json#/x\"' (only #/definitions/… is read)")]
    public void A_schema_whose_references_cannot_be_followed_fails_typed(string schema, string expected)
    {
        _repo.Write("app/schema.json", schema);
        var patch = "patches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n    spec: {replicas: 2}\n";
        Assert.Equal(expected, Fails("openapi: {path: schema.json}\n" + patch).Message);
    }

    [Theory]
    [InlineData("nameprefix:\n- {path: spec/x}\n", "app/fields.yaml: nameprefix: unknown configurations section")]
    [InlineData("images:\n- {kind: App}\n", "app/fields.yaml: images[0].path: required")]
    [InlineData("commonLabels: {path: spec/x}\n", "app/fields.yaml: commonLabels: must be a list")]
    [InlineData("replicas:\n- {path: spec/x, create: maybe}\n", "app/fields.yaml: replicas[0].create: must be true or false")]
    public void A_malformed_configurations_file_names_the_file_and_section(string fields, string expected)
    {
        _repo.Write("app/fields.yaml", fields);
        Assert.Equal(expected, Fails("configurations: [fields.yaml]\n").Message);
    }

    [Fact]
    public void A_path_deeper_than_any_object_may_nest_is_refused_before_it_is_walked()
    {
        var dotted = string.Join('.', Enumerable.Repeat("a", 100_000));
        Assert.Equal("app/kustomization.yaml: replacements[0].targets[0].fieldPaths: '" + dotted + "' in apps/Deployment web: more than 64 segments",
            Fails($"replacements:\n- source: {{kind: ConfigMap, name: a}}\n  targets: [{{select: {{kind: Deployment}}, fieldPaths: ['{dotted}'], options: {{create: true}}}}]\n").Message);
        _repo.Write("app/fields.yaml", $"commonLabels:\n- {{path: '{dotted.Replace('.', '/')}', create: true}}\n");
        Assert.Equal("app/fields.yaml: commonLabels[0].path: more than 64 segments", Fails("configurations: [fields.yaml]\n").Message);
    }
}
