using Homelab.Reconciler.Source;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>
/// Syncing over smart HTTP from real <c>git http-backend</c> that demands a token, through a
/// small ASP.NET Core CGI shim (the stand-in for GitHub's front end) on loopback.
/// </summary>
public sealed class GitSourceHttpShimTests : IClassFixture<GitHttpBackendShim>, IDisposable
{
    private readonly GitHttpBackendShim _server;
    private readonly GitTestRepository _upstream;
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggers;
    private readonly string _tokenVariable = "HOMELAB_TEST_GIT_TOKEN_" + Guid.NewGuid().ToString("N");

    public GitSourceHttpShimTests(GitHttpBackendShim server)
    {
        _server = server;
        _upstream = new GitTestRepository(server.ProjectRoot);
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
    }

    [Fact]
    public async Task Token_file_clones_then_a_no_op_sync_sends_no_fetch_then_a_push_is_fetched()
    {
        var first = _upstream.Commit("a.yaml", "a: 1\n");
        var tokenFile = Path.Combine(Path.GetDirectoryName(_upstream.AuthorPath)!, "token");
        File.WriteAllText(tokenFile, _server.Token + "\n");
        var source = Source(new GitSourceOptions { Url = _server.UrlOf(_upstream.Name), StateDirectory = _upstream.StateDirectory, TokenFile = tokenFile });

        var cloned = await source.SyncAsync(CancellationToken.None);
        var fetchesAfterClone = _server.Fetches;
        var unchanged = await source.SyncAsync(CancellationToken.None);
        var fetchesAfterNoOp = _server.Fetches;
        var second = _upstream.Commit("a.yaml", "a: 2\n");
        var moved = await source.SyncAsync(CancellationToken.None);

        Assert.Equal((first, true, true), (cloned.Commit, cloned.Changed, cloned.Fetched));
        Assert.Equal((first, false, false), (unchanged.Commit, unchanged.Changed, unchanged.Fetched));
        Assert.Equal(fetchesAfterClone, fetchesAfterNoOp);
        Assert.Equal((second, true, true), (moved.Commit, moved.Changed, moved.Fetched));
        Assert.Equal("a: 2\n", File.ReadAllText(Path.Combine(moved.WorkingDirectory, "a.yaml")));
        Assert.DoesNotContain(_server.Token, _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetches_only_the_tip_stops_at_the_size_limit_and_the_revert_and_a_force_push_sync()
    {
        _server.MakePublic(_upstream.Name);
        var limits = new SourceLimits(MaxTotalBytes: 4_000);
        var source = Source(new GitSourceOptions { Url = _server.UrlOf(_upstream.Name), StateDirectory = _upstream.StateDirectory, Limits = limits });
        _upstream.Commit("a.yaml", "a: 1\n");
        var good = _upstream.Commit("a.yaml", "a: 2\n");
        Assert.Equal(good, (await source.SyncAsync(CancellationToken.None)).Commit);
        using (var repository = new LibGit2Sharp.Repository(_upstream.StateDirectory))
        {
            // Depth 1: the first commit never arrived.
            Assert.True(repository.Info.IsShallow);
            Assert.Single(repository.Commits.QueryBy(new LibGit2Sharp.CommitFilter()));
        }

        // Random, so compression cannot bring the pack under the cap: the clone itself is stopped.
        var big = new byte[limits.MaxFetchBytes + 1];
        Random.Shared.NextBytes(big);
        File.WriteAllBytes(Path.Combine(_upstream.AuthorPath, "big.bin"), big);
        _upstream.Commit("b.yaml", "b: 1\n");
        var error = await Assert.ThrowsAsync<SourceException>(() => source.SyncAsync(CancellationToken.None));
        Assert.Contains($"more than {limits.MaxFetchBytes} bytes, over the limit of 4000 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing of it was checked out", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_upstream.StateDirectory, "b.yaml")));
        Assert.Equal(good, GitTestRepository.Git(_upstream.StateDirectory, "rev-parse", "HEAD"));
        Assert.Equal(["source"], Siblings());

        GitTestRepository.Git(_upstream.AuthorPath, "revert", "--no-edit", "HEAD");
        GitTestRepository.Git(_upstream.AuthorPath, "push", "--quiet", "origin", "HEAD:main");
        Assert.Equal(_upstream.Head(), (await source.SyncAsync(CancellationToken.None)).Commit);

        // Back past the refused commit, to one the new shallow working copy no longer holds.
        _upstream.ForcePushBack();
        Assert.Equal(good, _upstream.ForcePushBack());
        var forced = await source.SyncAsync(CancellationToken.None);
        Assert.Equal((good, true), (forced.Commit, forced.Changed));
        Assert.Equal("a: 2\n", File.ReadAllText(Path.Combine(_upstream.StateDirectory, "a.yaml")));
        Assert.Equal(["source"], Siblings());
    }

    [Fact]
    public async Task A_tip_over_the_file_limit_leaves_the_previous_revision_clean_and_nothing_beside_it()
    {
        _server.MakePublic(_upstream.Name);
        var limits = new SourceLimits(MaxFileBytes: 100);
        var source = Source(new GitSourceOptions { Url = _server.UrlOf(_upstream.Name), StateDirectory = _upstream.StateDirectory, Limits = limits });
        var good = _upstream.Commit("a.yaml", "a: 1\n");
        await source.SyncAsync(CancellationToken.None);

        // Within the clone's byte cap, so the tree check refuses it after the clone, before the swap.
        _upstream.Commit("b.yaml", new string('b', 101));
        var error = await Assert.ThrowsAsync<SourceException>(() => source.SyncAsync(CancellationToken.None));

        Assert.Contains("b.yaml: file is 101 bytes, over the limit of 100 bytes per file", error.Message, StringComparison.Ordinal);
        Assert.Equal(good, GitTestRepository.Git(_upstream.StateDirectory, "rev-parse", "HEAD"));
        Assert.Equal(string.Empty, GitTestRepository.Git(_upstream.StateDirectory, "status", "--porcelain", "--ignored"));
        Assert.Equal(["source"], Siblings());
    }

    [Fact]
    public async Task Folders_a_killed_sync_left_beside_the_working_copy_go_and_others_stay()
    {
        _server.MakePublic(_upstream.Name);
        var source = Source(new GitSourceOptions { Url = _server.UrlOf(_upstream.Name), StateDirectory = _upstream.StateDirectory });
        _upstream.Commit("a.yaml", "a: 1\n");
        await source.SyncAsync(CancellationToken.None);
        var state = Path.GetDirectoryName(_upstream.StateDirectory)!;
        Directory.CreateDirectory(Path.Combine(state, "source.homelab-incoming-0123456789ab", ".git"));
        Directory.CreateDirectory(Path.Combine(state, "source.homelab-outgoing-0123456789ab"));
        Directory.CreateDirectory(Path.Combine(state, "source.mine"));
        Directory.CreateSymbolicLink(Path.Combine(state, "source.homelab-incoming-link"), Path.Combine(state, "source.mine"));

        var second = _upstream.Commit("a.yaml", "a: 2\n");
        Assert.Equal(second, (await source.SyncAsync(CancellationToken.None)).Commit);

        Assert.Equal(["source", "source.homelab-incoming-link", "source.mine"], Siblings());
    }

    [Fact]
    public async Task A_tag_is_fetched_whole_into_a_fresh_clone_when_the_working_copy_is_shallow()
    {
        _server.MakePublic(_upstream.Name);
        var tagged = _upstream.Commit("a.yaml", "a: 1\n");
        _upstream.Tag("v1", annotated: true);
        _upstream.Commit("a.yaml", "a: 2\n");
        await Source(new GitSourceOptions { Url = _server.UrlOf(_upstream.Name), StateDirectory = _upstream.StateDirectory }).SyncAsync(CancellationToken.None);

        var artifact = await Source(new GitSourceOptions { Url = _server.UrlOf(_upstream.Name), StateDirectory = _upstream.StateDirectory, Ref = "tag:v1" })
            .SyncAsync(CancellationToken.None);

        Assert.Equal((tagged, "v1@sha1:" + tagged), (artifact.Commit, artifact.Revision));
        Assert.Equal("a: 1\n", File.ReadAllText(Path.Combine(artifact.WorkingDirectory, "a.yaml")));
        Assert.Contains("it is a shallow clone", _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_environment_variable_authenticates()
    {
        var sha = _upstream.Commit("a.yaml", "a: 1\n");
        Environment.SetEnvironmentVariable(_tokenVariable, _server.Token);

        var artifact = await Source(new GitSourceOptions { Url = _server.UrlOf(_upstream.Name), StateDirectory = _upstream.StateDirectory, TokenEnvironmentVariable = _tokenVariable })
            .SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
    }

    [Fact]
    public async Task A_public_repository_syncs_with_no_token_set()
    {
        var sha = _upstream.Commit("a.yaml", "a: 1\n");
        _server.MakePublic(_upstream.Name);

        var artifact = await Source(new GitSourceOptions { Url = _server.UrlOf(_upstream.Name), StateDirectory = _upstream.StateDirectory, TokenEnvironmentVariable = _tokenVariable })
            .SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
    }

    [Fact]
    public async Task A_private_repository_with_no_token_set_says_which_setting_is_missing()
    {
        _upstream.Commit("a.yaml", "a: 1\n");

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            Source(new GitSourceOptions { Url = _server.UrlOf(_upstream.Name), StateDirectory = _upstream.StateDirectory, TokenEnvironmentVariable = _tokenVariable })
                .SyncAsync(CancellationToken.None));

        Assert.Contains($"no token is set ({_tokenVariable} or a token file)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_embedded_token_authenticates_and_stays_out_of_config_and_logs()
    {
        var sha = _upstream.Commit("a.yaml", "a: 1\n");
        var url = _server.UrlOf(_upstream.Name).Replace("http://", $"http://x-access-token:{_server.Token}@", StringComparison.Ordinal);

        var artifact = await Source(new GitSourceOptions { Url = url, StateDirectory = _upstream.StateDirectory }).SyncAsync(CancellationToken.None);

        Assert.Equal(sha, artifact.Commit);
        Assert.DoesNotContain(_server.Token, File.ReadAllText(Path.Combine(artifact.WorkingDirectory, ".git", "config")), StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Token, _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_fails_without_echoing_it()
    {
        _upstream.Commit("a.yaml", "a: 1\n");
        const string wrong = "wrong-s3cr3t-token";
        Environment.SetEnvironmentVariable(_tokenVariable, wrong);

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            Source(new GitSourceOptions { Url = _server.UrlOf(_upstream.Name), StateDirectory = _upstream.StateDirectory, TokenEnvironmentVariable = _tokenVariable })
                .SyncAsync(CancellationToken.None));

        Assert.Contains(_server.UrlOf(_upstream.Name), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_server_fails_fast_without_the_token_and_keeps_the_working_copy()
    {
        var own = new GitHttpBackendShim();
        await own.InitializeAsync();
        using var upstream = new GitTestRepository(own.ProjectRoot);
        var sha = upstream.Commit("a.yaml", "a: 1\n");
        var url = own.UrlOf(upstream.Name).Replace("http://", $"http://git:{own.Token}@", StringComparison.Ordinal);
        var source = Source(new GitSourceOptions { Url = url, StateDirectory = upstream.StateDirectory });
        var artifact = await source.SyncAsync(CancellationToken.None);
        await own.DisposeAsync();

        var error = await Assert.ThrowsAsync<SourceException>(() => source.SyncAsync(CancellationToken.None));

        Assert.DoesNotContain(own.Token, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(own.Token, _logs.AllText, StringComparison.Ordinal);
        Assert.Equal("a: 1\n", File.ReadAllText(Path.Combine(artifact.WorkingDirectory, "a.yaml")));
        Assert.Equal(sha, GitTestRepository.Git(artifact.WorkingDirectory, "rev-parse", "HEAD"));
    }

    private string[] Siblings() =>
        [.. Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(_upstream.StateDirectory)!).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private GitSource Source(GitSourceOptions options) => new(options, _loggers.CreateLogger<GitSource>());

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_tokenVariable, null);
        _upstream.Dispose();
        _loggers.Dispose();
        _logs.Dispose();
    }
}
