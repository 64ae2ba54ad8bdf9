using Homelab.Reconciler.Apply;
using Homelab.Kustomize;

namespace Homelab.Tests.Kustomize;

/// <summary>Nesting is capped where it is read, before it can recurse, and again on what a build renders.</summary>
public sealed class YamlDepthTests : IDisposable
{
    private const string Head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n";
    private readonly ScratchRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Theory]
    [InlineData(2_000)]
    [InlineData(20_000)]
    public void Yaml_nested_past_the_limit_fails_naming_the_file_and_the_limit(int depth)
    {
        // 20,000 flow sequences: recursing into them overflows the stack, so this proves the check comes first.
        _repo.Write("app/deep.yaml", Head + "data: " + new string('[', depth) + new string(']', depth) + "\n");

        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app"));

        Assert.Equal("app/deep.yaml", error.File);
        Assert.Contains("limit of 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_at_the_limit_builds_and_hashes()
    {
        // The document is a mapping (1), so data's value may nest 63 more.
        _repo.Write("app/deep.yaml", Head + "data: " + new string('[', 63) + new string(']', 63) + "\n");

        var built = Assert.Single(new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app"));

        Assert.Equal(16, Ownership.Hash(built).Length);
    }

    [Fact]
    public void An_alias_that_nests_a_rendered_object_past_the_limit_fails_naming_the_file()
    {
        // Each part stays under the limit where it is read; the alias puts 50 levels 31 deep.
        _repo.Write("app/deep.yaml", Head + "  labels: &deep " + new string('[', 50) + new string(']', 50) + "\n"
            + "data: " + string.Concat(Enumerable.Repeat("{a: ", 30)) + "*deep" + new string('}', 30) + "\n");

        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app"));

        Assert.Equal("app/deep.yaml", error.File);
        Assert.Contains("over the limit of 64", error.Message, StringComparison.Ordinal);
    }
}
