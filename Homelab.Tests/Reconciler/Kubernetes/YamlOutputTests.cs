using System.Text.Json.Nodes;
using Homelab.Kustomize;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Tests.Reconciler.Kubernetes;

/// <summary>The build verb's printer keeps every value's type for YAML 1.1 and 1.2 readers.</summary>
public sealed class YamlOutputTests
{
    [Theory]
    [InlineData("true")]
    [InlineData("True")]
    [InlineData("on")]
    [InlineData("OFF")]
    [InlineData("yes")]
    [InlineData("y")]
    [InlineData("n")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("9797")]
    [InlineData("0300")]
    [InlineData("0x1F")]
    [InlineData("0o17")]
    [InlineData("1_000")]
    [InlineData("3.20")]
    [InlineData("1e3")]
    [InlineData(".5")]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    [InlineData(".NaN")]
    [InlineData("1:20")]
    [InlineData("2001-12-14")]
    [InlineData("2001-12-14t21:59:43.10-05:00")]
    [InlineData("<<")]
    [InlineData("=")]
    public void Strings_that_read_as_another_type_are_quoted(string value)
    {
        var yaml = YamlOutput.Write([new JsonObject { ["v"] = value, [value] = "key" }]);

        Assert.Contains($"v: \"{value}\"", yaml, StringComparison.Ordinal);
        var read = (JsonObject)new YamlToJson("out", BuildLimits.Default).ReadDocuments(yaml).Single()!;
        Assert.Equal(value, read["v"]!.GetValue<string>());
        Assert.Equal("key", read[value]!.GetValue<string>());
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("v1.2.3")]
    [InlineData("1.2.3")]
    [InlineData("yesterday")]
    [InlineData("10m")]
    public void Plain_strings_stay_plain(string value) =>
        Assert.Equal($"v: {value}\n", YamlOutput.Write([new JsonObject { ["v"] = value }]));

    [Fact]
    public void Other_types_are_written_plain_and_multi_line_text_as_a_block()
    {
        var yaml = YamlOutput.Write([new JsonObject { ["b"] = true, ["i"] = 9797, ["f"] = 3.25, ["none"] = null, ["t"] = "a\nb\n" }]);

        Assert.Equal("b: true\ni: 9797\nf: 3.25\nnone: null\nt: |\n  a\n  b\n", yaml);
    }

    [Fact]
    public void Documents_are_separated()
    {
        var yaml = YamlOutput.Write([new JsonObject { ["a"] = 1 }, new JsonObject { ["b"] = 2 }]);

        Assert.Equal("a: 1\n---\nb: 2\n", yaml);
    }
}
