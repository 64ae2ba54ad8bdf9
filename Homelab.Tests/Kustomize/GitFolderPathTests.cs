using Homelab.Kustomize;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Kustomize;

/// <summary>
/// Nothing under a .git folder is ever read (issue 17, item 11): .git/config holds remote URLs, sometimes
/// with credentials, and a generator would put it in a ConfigMap. Real Git repositories; kubectl kustomize
/// as the reference, which we are stricter than on purpose.
/// </summary>
public sealed class GitFolderPathTests : IDisposable
{
    private readonly GitRepository _repo = GitRepository.Create();

    public void Dispose() => Directory.Delete(_repo.Root, recursive: true);

    [Theory]
    [InlineData("configMapGenerator:\n  - name: leak\n    files: [../../.git/config]\n", "configMapGenerator[0].files[0]", "../../.git/config")]
    [InlineData("secretGenerator:\n  - name: leak\n    envs: [../../.git/config]\n", "secretGenerator[0].envs[0]", "../../.git/config")]
    [InlineData("configMapGenerator:\n  - name: leak\n    files: [config=../../.GIT/config]\n", "configMapGenerator[0].files[0]", "../../.GIT/config")]
    [InlineData("resources: [../../.git/info/exclude.yaml]\n", "resources[0]", "../../.git/info/exclude.yaml")]
    [InlineData("patches:\n  - path: ../../sub/.git/patch.yaml\n", "patches[0].path", "../../sub/.git/patch.yaml")]
    public void A_reference_into_a_git_folder_is_refused_naming_the_file(string kustomization, string field, string path)
    {
        _repo.Write("apps/x/kustomization.yaml", kustomization).Commit("leak");
        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "apps/x"));
        Assert.Equal("apps/x/kustomization.yaml", error.File);
        Assert.Equal(field, error.Field);
        Assert.Contains($"path '{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("inside a .git folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Git_config_below_the_kustomization_is_refused_although_kubectl_kustomize_reads_it()
    {
        _repo.Write("kustomization.yaml", "configMapGenerator:\n  - name: leak\n    files: [.git/config]\n").Commit("leak");

        // The reference renders .git/config into a ConfigMap: its load restrictor only keeps files below the kustomization.
        var kubectl = await ProcessRunner.RunAsync("kubectl", ["kustomize", _repo.Root]);
        Assert.Contains("repositoryformatversion", kubectl, StringComparison.Ordinal);

        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "."));
        Assert.Equal("kustomization.yaml: configMapGenerator[0].files[0]: path '.git/config' resolves to '.git/config', inside a .git folder: Git's own files are never read into the cluster", error.Message);
    }

    [Fact]
    public async Task Dot_dot_into_git_config_is_refused_as_kubectl_kustomize_refuses_it()
    {
        _repo.Write("apps/x/kustomization.yaml", "configMapGenerator:\n  - name: leak\n    files: [../../.git/config]\n").Commit("leak");

        var kubectl = await ProcessRunner.RunToExitAsync("kubectl", ["kustomize", Path.Combine(_repo.Root, "apps", "x")]);
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("security", kubectl.Error, StringComparison.Ordinal);

        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "apps/x"));
        Assert.Equal("apps/x/kustomization.yaml: configMapGenerator[0].files[0]: path '../../.git/config' resolves to '.git/config', inside a .git folder: Git's own files are never read into the cluster", error.Message);
    }

    [Fact]
    public void A_symlink_into_the_git_folder_is_refused()
    {
        _repo.Write("apps/x/kustomization.yaml", "configMapGenerator:\n  - name: leak\n    files: [config]\n");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "apps", "x", "config"), "../../.git/config");
        _repo.Commit("leak through a link");
        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, "apps/x"));
        Assert.Equal("apps/x/kustomization.yaml: configMapGenerator[0].files[0]: path 'config' resolves to '.git/config', inside a .git folder: Git's own files are never read into the cluster", error.Message);
    }

    [Fact]
    public void The_build_path_may_not_be_a_git_folder()
    {
        _repo.Write(".git/evil/kustomization.yaml", "resources: []\n");
        var error = Assert.Throws<BuildException>(() => new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, ".git/evil"));
        Assert.Contains("inside a .git folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_folder_at_the_repository_root_skips_the_git_folder()
    {
        _repo.Write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n").Commit("plain");
        var objects = new KustomizeBuilder(BuildLimits.Default).Build(_repo.Root, ".");
        Assert.Equal("a", Assert.Single(objects)["metadata"]!["name"]!.GetValue<string>());
    }
}
