
namespace Homelab.Tests.Infrastructure;

/// <summary>A real Git repository in a temp folder, driven with the git CLI.</summary>
internal sealed class GitRepository
{
    private GitRepository(string root) => Root = root;

    public string Root { get; }

    public static GitRepository Create()
    {
        var repository = new GitRepository(Directory.CreateTempSubdirectory("homelab-repo-").FullName);
        repository.Git("init", "-q", "-b", "main");
        repository.Git("config", "user.email", "test@homelab.invalid");
        repository.Git("config", "user.name", "Homelab Test");
        return repository;
    }

    public GitRepository Write(string path, string content)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public GitRepository Delete(string path)
    {
        File.Delete(Path.Combine(Root, path));
        return this;
    }

    /// <summary>Commits everything; returns the commit id.</summary>
    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] args)
    {
        var result = ProcessRunner.RunToExit("git", args, Root);
        return result.ExitCode == 0 ? result.Output : throw new InvalidOperationException($"git {string.Join(' ', args)}: {result.Error}");
    }
}
