using Homelab.Kustomize;

namespace Homelab.Tests.Kustomize;

/// <summary>Nothing outside the repository root is ever read: '..', absolute paths and symlinks are checked.</summary>
public sealed class RepositoryPathSafetyTests : IDisposable
{
    private const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n";
    private readonly ScratchRepository _outside = new();
    private readonly ScratchRepository _repo = new();

    public void Dispose()
    {
        _repo.Dispose();
        _outside.Dispose();
    }

    private RepositoryFiles Files => new(_repo.Root, BuildLimits.Default);

    [Theory]
    [InlineData("app", "a.yaml", "app/a.yaml")]
    [InlineData("app", "./x/../a.yaml", "app/a.yaml")]
    [InlineData("app/sub", "../a.yaml", "app/a.yaml")]
    [InlineData(".", "app", "app")]
    [InlineData("app", "..", ".")]
    public void Relative_paths_inside_the_root_normalise(string folder, string relative, string expected) =>
        Assert.Equal(expected, Files.Resolve("k", folder, relative, "f"));

    [Theory]
    [InlineData("app", "../../etc/passwd")]
    [InlineData(".", "..")]
    [InlineData("app", "x/../../../y")]
    public void Dot_dot_escaping_the_root_is_refused(string folder, string relative)
    {
        var error = Assert.Throws<BuildException>(() => Files.Resolve("k.yaml", folder, relative, "resources[0]"));
        Assert.Equal($"k.yaml: resources[0]: path '{relative}' leaves the repository root", error.Message);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("~/secrets.yaml")]
    public void Absolute_paths_are_refused(string relative)
    {
        var error = Assert.Throws<BuildException>(() => Files.Resolve("k.yaml", "app", relative, "resources[0]"));
        Assert.Contains("absolute path", error.Message);
    }

    [Fact]
    public void A_symlinked_file_pointing_outside_is_refused()
    {
        _outside.Write("secret.yaml", ConfigMap);
        _repo.Write("app/kustomization.yaml", "resources: [link.yaml]\n");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "app", "link.yaml"), Path.Combine(_outside.Root, "secret.yaml"));
        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app"));
        Assert.Equal("app/kustomization.yaml: resources[0]: path 'link.yaml' resolves (through a symlink) outside the repository root", error.Message);
    }

    [Fact]
    public void A_symlinked_folder_pointing_outside_is_refused_even_as_the_build_path()
    {
        _outside.Write("kustomization.yaml", "resources: []\n");
        Directory.CreateSymbolicLink(Path.Combine(_repo.Root, "escape"), _outside.Root);
        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "escape"));
        Assert.Contains("outside the repository root", error.Message);
    }

    [Fact]
    public void A_relative_symlink_climbing_out_is_refused()
    {
        _repo.Write("app/kustomization.yaml", "resources: [sneaky/a.yaml]\n");
        Directory.CreateSymbolicLink(Path.Combine(_repo.Root, "app", "sneaky"), "../../");
        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app"));
        Assert.Contains("outside the repository root", error.Message);
    }

    [Fact]
    public void A_symlink_that_stays_inside_is_followed()
    {
        _repo.Write("shared/cm.yaml", ConfigMap).Write("app/kustomization.yaml", "resources: [link.yaml]\n");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "app", "link.yaml"), "../shared/cm.yaml");
        Assert.Single(new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app"));
    }

    [Fact]
    public void An_absolute_build_path_is_refused()
    {
        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "/etc"));
        Assert.Contains("absolute path", error.Message);
    }

    [Fact]
    public void Generator_files_outside_the_root_are_refused()
    {
        _repo.Write("app/kustomization.yaml", "configMapGenerator:\n  - name: x\n    files: [../../../etc/passwd]\n");
        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "app"));
        Assert.Equal("app/kustomization.yaml: configMapGenerator[0].files[0]: path '../../../etc/passwd' leaves the repository root", error.Message);
    }
}
