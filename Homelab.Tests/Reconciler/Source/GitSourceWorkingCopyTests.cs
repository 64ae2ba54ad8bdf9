using Homelab.Reconciler.Source;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>The working copy holds exactly the commit, and a foreign or broken one is replaced.</summary>
public sealed class GitSourceWorkingCopyTests : IDisposable
{
    private readonly GitTestRepository _upstream = new();

    [Fact]
    public async Task Untracked_modified_deleted_and_ignored_files_are_reset()
    {
        _upstream.Commit(".gitignore", "*.tmp\n");
        var sha = _upstream.Commit("app/a.yaml", "a: 1\n");
        var source = Source(_upstream.BarePath);
        var first = await source.SyncAsync(CancellationToken.None);
        var workdir = first.WorkingDirectory;
        File.WriteAllText(Path.Combine(workdir, "untracked.yaml"), "x: 1\n");
        Directory.CreateDirectory(Path.Combine(workdir, "extra/deep"));
        File.WriteAllText(Path.Combine(workdir, "extra/deep/b.yaml"), "b: 1\n");
        File.WriteAllText(Path.Combine(workdir, "cache.tmp"), "ignored\n");
        File.WriteAllText(Path.Combine(workdir, "app/a.yaml"), "a: edited\n");
        File.Delete(Path.Combine(workdir, ".gitignore"));

        var artifact = await source.SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
        Assert.False(artifact.Changed);
        Assert.False(artifact.Fetched);
        Assert.False(File.Exists(Path.Combine(workdir, "untracked.yaml")));
        Assert.False(Directory.Exists(Path.Combine(workdir, "extra")));
        Assert.False(File.Exists(Path.Combine(workdir, "cache.tmp")));
        Assert.Equal("a: 1\n", File.ReadAllText(Path.Combine(workdir, "app/a.yaml")));
        Assert.True(File.Exists(Path.Combine(workdir, ".gitignore")));
        Assert.Equal(
            [".git", ".gitignore", "app"],
            Directory.EnumerateFileSystemEntries(workdir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_clone_of_another_url_is_replaced_and_the_reason_logged()
    {
        using var other = new GitTestRepository();
        other.Commit("other.yaml", "o: 1\n");
        await new GitSource(new GitSourceOptions { Url = other.BarePath, StateDirectory = _upstream.StateDirectory }, NullLogger<GitSource>.Instance)
            .SyncAsync(CancellationToken.None);
        var sha = _upstream.Commit("a.yaml", "a: 1\n");
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));

        var artifact = await Source(_upstream.BarePath, factory.CreateLogger<GitSource>()).SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
        Assert.True(artifact.Changed);
        Assert.False(File.Exists(Path.Combine(artifact.WorkingDirectory, "other.yaml")));
        Assert.Contains(logs.Lines, l => l.Contains("Re-cloning", StringComparison.Ordinal) && l.Contains(other.BarePath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupt_working_copy_is_recloned()
    {
        var sha = _upstream.Commit("a.yaml", "a: 1\n");
        await Source(_upstream.BarePath).SyncAsync(CancellationToken.None);
        var git = Path.Combine(_upstream.StateDirectory, ".git");
        Directory.Delete(Path.Combine(git, "objects"), recursive: true);
        File.WriteAllText(Path.Combine(git, "HEAD"), "garbage");

        var artifact = await Source(_upstream.BarePath).SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
        Assert.True(artifact.Changed);
        Assert.True(File.Exists(Path.Combine(artifact.WorkingDirectory, "a.yaml")));
    }

    [Fact]
    public async Task A_non_empty_directory_that_is_not_a_working_copy_is_left_alone()
    {
        _upstream.Commit("a.yaml", "a: 1\n");
        Directory.CreateDirectory(_upstream.StateDirectory);
        var precious = Path.Combine(_upstream.StateDirectory, "precious.txt");
        File.WriteAllText(precious, "keep me");

        await Assert.ThrowsAsync<SourceException>(() => Source(_upstream.BarePath).SyncAsync(CancellationToken.None));

        Assert.True(File.Exists(precious));
    }

    private GitSource Source(string url, ILogger<GitSource>? logger = null) =>
        new(new GitSourceOptions { Url = url, StateDirectory = _upstream.StateDirectory }, logger ?? NullLogger<GitSource>.Instance);

    public void Dispose() => _upstream.Dispose();
}
