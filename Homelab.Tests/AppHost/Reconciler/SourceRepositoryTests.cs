using Homelab.AppHost.Reconciler;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.AppHost.Reconciler;

/// <summary>The AppHost's own repository, found from a folder inside it: a plain clone and a linked worktree (real git).</summary>
public sealed class SourceRepositoryTests
{
    private const string Origin = "https://someone:token@example.com/someone/homelab.git";

    [Fact]
    public void A_repository_gives_its_root_branch_and_origin_without_credentials()
    {
        var repository = RepositoryWithOrigin();
        Directory.CreateDirectory(Path.Combine(repository.Root, "Homelab.AppHost"));

        var found = SourceRepository.Find(Path.Combine(repository.Root, "Homelab.AppHost"));

        Assert.NotNull(found);
        Assert.Equal(repository.Root, found.Root);
        Assert.Equal("main", found.Ref);
        Assert.Equal("https://example.com/someone/homelab.git", found.OriginUrl());
    }

    [Fact]
    public void A_linked_worktree_gives_its_own_root_and_branch_and_the_main_repositorys_origin()
    {
        var repository = RepositoryWithOrigin();
        var worktree = Path.Combine(Directory.CreateTempSubdirectory("homelab-worktree-").FullName, "tidy");
        repository.Git("worktree", "add", "-q", "-b", "tidy", worktree);
        Directory.CreateDirectory(Path.Combine(worktree, "Homelab.AppHost"));
        // In a worktree .git is a file naming its Git directory.
        Assert.True(File.Exists(Path.Combine(worktree, ".git")));

        var found = SourceRepository.Find(Path.Combine(worktree, "Homelab.AppHost"));

        Assert.NotNull(found);
        Assert.Equal(worktree, found.Root);
        Assert.Equal("tidy", found.Ref);
        Assert.Equal("https://example.com/someone/homelab.git", found.OriginUrl());
    }

    [Fact]
    public void Outside_git_there_is_no_repository()
    {
        Assert.Null(SourceRepository.Find(Directory.CreateTempSubdirectory("homelab-nogit-").FullName));
    }

    private static GitRepository RepositoryWithOrigin()
    {
        var repository = GitRepository.Create();
        repository.Write("README.md", "homelab").Commit("first");
        repository.Git("remote", "add", "origin", Origin);
        return repository;
    }
}
