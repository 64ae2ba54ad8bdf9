using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>
/// A real upstream repository made with the git CLI: a bare repository that sources read from,
/// and an author clone that commits, tags and (force-)pushes to it.
/// </summary>
public sealed class GitTestRepository : IDisposable
{
    private readonly string _root;

    /// <summary>Creates the upstream under <paramref name="baseDirectory"/> (a git daemon's base path) or a fresh temp dir.</summary>
    public GitTestRepository(string? baseDirectory = null)
    {
        _root = Path.Combine(Path.GetTempPath(), "homelab-git-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        Name = Guid.NewGuid().ToString("N") + ".git";
        BarePath = Path.Combine(baseDirectory ?? _root, Name);
        AuthorPath = Path.Combine(_root, "author");
        StateDirectory = Path.Combine(_root, "state", "source");

        Git(_root, "init", "--bare", "--initial-branch=main", BarePath);
        Git(_root, "init", "--initial-branch=main", AuthorPath);
        Git(AuthorPath, "remote", "add", "origin", BarePath);
    }

    /// <summary>The bare repository's directory name, e.g. for a git:// URL under a daemon's base path.</summary>
    public string Name { get; }

    /// <summary>The bare upstream repository.</summary>
    public string BarePath { get; }

    /// <summary>The non-bare author clone (also usable as a source).</summary>
    public string AuthorPath { get; }

    /// <summary>A state directory for the source under test, removed with the repository.</summary>
    public string StateDirectory { get; }

    /// <summary>Writes a file, commits it on main and pushes; returns the new sha.</summary>
    public string Commit(string path, string content, string? branch = null)
    {
        var file = Path.Combine(AuthorPath, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        Git(AuthorPath, "add", "--all");
        Git(AuthorPath, "commit", "--quiet", "-m", $"write {path}");
        Git(AuthorPath, "push", "--quiet", "origin", $"HEAD:{branch ?? "main"}");
        return Head();
    }

    /// <summary>Creates a tag on HEAD and pushes it.</summary>
    public void Tag(string name, bool annotated)
    {
        if (annotated)
        {
            Git(AuthorPath, "tag", "-a", name, "-m", $"release {name}");
        }
        else
        {
            Git(AuthorPath, "tag", name);
        }

        Git(AuthorPath, "push", "--quiet", "origin", $"refs/tags/{name}");
    }

    /// <summary>Rewinds main by one commit and force-pushes it; returns the sha main now points to.</summary>
    public string ForcePushBack()
    {
        Git(AuthorPath, "reset", "--quiet", "--hard", "HEAD~1");
        Git(AuthorPath, "push", "--quiet", "--force", "origin", "HEAD:main");
        return Head();
    }

    /// <summary>Files in the object database of the working copy in <see cref="StateDirectory"/> but its alternates: what fetches wrote there.</summary>
    public IEnumerable<string> CopiedObjects() =>
        Directory.EnumerateFiles(Path.Combine(StateDirectory, ".git", "objects"), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "alternates");

    /// <summary>The author clone's HEAD sha.</summary>
    public string Head() => Git(AuthorPath, "rev-parse", "HEAD");

    /// <summary>Runs the git CLI with a fixed identity and no user or system config; returns trimmed stdout.</summary>
    public static string Git(string workingDirectory, params string[] arguments)
    {
        var result = ProcessRunner.RunToExit("git", arguments, workingDirectory, new Dictionary<string, string?>
        {
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_AUTHOR_NAME"] = "Homelab Test",
            ["GIT_COMMITTER_NAME"] = "Homelab Test",
            ["GIT_AUTHOR_EMAIL"] = "test@homelab.invalid",
            ["GIT_COMMITTER_EMAIL"] = "test@homelab.invalid",
        });
        return result.ExitCode == 0
            ? result.Output.Trim()
            : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error}");
    }

    public void Dispose()
    {
        foreach (var directory in new[] { _root, BarePath })
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }
}
