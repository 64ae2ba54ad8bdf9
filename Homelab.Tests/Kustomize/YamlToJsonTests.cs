using System.Text.Json.Nodes;
using Homelab.Kustomize;

namespace Homelab.Tests.Kustomize;

/// <summary>Plain scalars are typed like go-yaml v3 does; quoted ones stay strings.</summary>
public sealed class YamlToJsonTests
{
    [Theory]
    [InlineData("on", "\"on\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("'true'", "\"true\"")]
    [InlineData("true", "true")]
    [InlineData("~", "null")]
    [InlineData("010", "8")]
    [InlineData("0x1F", "31")]
    [InlineData("1_000", "1000")]
    [InlineData("1.5", "1.5")]
    [InlineData("1e3", "1000")]
    [InlineData("!!str 5", "\"5\"")]
    [InlineData("2001-12-14", "\"2001-12-14T00:00:00Z\"")]
    public void Scalars_are_typed_like_kustomize(string yaml, string json)
    {
        var document = new YamlToJson("f.yaml", BuildLimits.Default).ReadDocuments($"v: {yaml}\n").Single();
        Assert.Equal(json, ((JsonObject)document!)["v"]?.ToJsonString() ?? "null");
    }

    [Fact]
    public void An_alias_of_a_scalar_can_be_a_mapping_key()
    {
        var document = new YamlToJson("f.yaml", BuildLimits.Default).ReadDocuments("name: &app web\nn: &five 5\ncontrollers:\n  *app :\n    image: x\n  *five : y\n").Single();
        Assert.Equal("""{"name":"web","n":5,"controllers":{"web":{"image":"x"},"5":"y"}}""", document!.ToJsonString());
    }

    [Theory]
    [InlineData(">-\n  a\n    b\n  c\n", "a\n\n  b\nc")]
    [InlineData(">-\n  a\n\n    b\n  c\n", "a\n\n\n  b\nc")]
    [InlineData(">\n  a\n  b\n    c\n    d\n\n  e\n", "a b\n\n  c\n  d\n\ne\n")]
    [InlineData(">-\n  a\n  \ttab\n  b\n", "a\n\n\ttab\nb")]
    [InlineData("|-\n  a\n    b\n", "a\n  b")]
    public void Folded_scalars_read_as_kubectl_reads_them_not_as_the_spec_says(string yaml, string expected)
    {
        var document = new YamlToJson("f.yaml", BuildLimits.Default).ReadDocuments($"v: {yaml}").Single();
        Assert.Equal(expected, (string?)document!["v"]);
    }

    [Fact]
    public void Duplicate_keys_are_errors()
    {
        var error = Assert.Throws<BuildException>(() => new YamlToJson("f.yaml", BuildLimits.Default).ReadDocuments("a: 1\na: 2\n"));
        Assert.Equal("f.yaml: line 2, column 1: mapping key \"a\" already defined", error.Message);
    }
}
