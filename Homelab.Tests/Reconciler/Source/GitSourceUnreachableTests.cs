using System.Diagnostics;
using Homelab.Reconciler.Source;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>When the remote is gone, the sync fails fast, leaks no secret and keeps the last working copy.</summary>
public sealed class GitSourceUnreachableTests : IDisposable
{
    private const string UrlSecret = "url-s3cr3t-1f2e";
    private const string TokenSecret = "env-s3cr3t-9a8b";
    private readonly string _tokenVariable = "HOMELAB_TEST_GIT_TOKEN_" + Guid.NewGuid().ToString("N");
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggers;

    public GitSourceUnreachableTests()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        Environment.SetEnvironmentVariable(_tokenVariable, TokenSecret);
    }

    [Fact]
    public async Task A_stopped_daemon_fails_fast_and_leaves_the_working_copy_intact()
    {
        var daemon = new GitDaemon();
        using var upstream = new GitTestRepository(daemon.BasePath);
        var sha = upstream.Commit("a.yaml", "a: 1\n");
        var source = new GitSource(
            new GitSourceOptions { Url = daemon.UrlOf(upstream.Name), StateDirectory = upstream.StateDirectory },
            _loggers.CreateLogger<GitSource>());
        var artifact = await source.SyncAsync(CancellationToken.None);
        daemon.Dispose();

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<SourceException>(() => source.SyncAsync(CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains($"127.0.0.1:{daemon.Port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal("a: 1\n", File.ReadAllText(Path.Combine(artifact.WorkingDirectory, "a.yaml")));
        Assert.Equal(sha, GitTestRepository.Git(artifact.WorkingDirectory, "rev-parse", "HEAD"));
    }

    [Fact]
    public async Task A_local_source_that_is_gone_fails_and_leaves_the_working_copy_intact()
    {
        using var upstream = new GitTestRepository();
        var sha = upstream.Commit("a.yaml", "a: 1\n");
        var source = new GitSource(new GitSourceOptions { Url = upstream.BarePath, StateDirectory = upstream.StateDirectory }, _loggers.CreateLogger<GitSource>());
        var artifact = await source.SyncAsync(CancellationToken.None);
        var moved = upstream.BarePath + ".moved";
        Directory.Move(upstream.BarePath, moved);

        var error = await Assert.ThrowsAsync<SourceException>(() => source.SyncAsync(CancellationToken.None));
        Directory.Move(moved, upstream.BarePath);
        var back = await source.SyncAsync(CancellationToken.None);

        // The working copy reads the source's objects: with the source gone it must not look corrupt and be re-cloned.
        Assert.Contains(upstream.BarePath, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("Re-cloning", StringComparison.Ordinal));
        Assert.Equal("a: 1\n", File.ReadAllText(Path.Combine(artifact.WorkingDirectory, "a.yaml")));
        Assert.Equal((sha, false), (back.Commit, back.Changed));
    }

    [Fact]
    public async Task An_unreachable_https_remote_names_the_url_without_the_token()
    {
        var port = LoopbackPort.Unused();
        using var upstream = new GitTestRepository();
        var source = new GitSource(
            new GitSourceOptions
            {
                Url = $"https://x-access-token:{UrlSecret}@127.0.0.1:{port}/org/repo.git",
                StateDirectory = upstream.StateDirectory,
                TokenEnvironmentVariable = _tokenVariable,
            },
            _loggers.CreateLogger<GitSource>());

        var error = await Assert.ThrowsAsync<SourceException>(() => source.SyncAsync(CancellationToken.None));

        Assert.Contains($"https://127.0.0.1:{port}/org/repo.git", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(UrlSecret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(TokenSecret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(UrlSecret, _logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(TokenSecret, _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remote_that_accepts_but_never_answers_times_out()
    {
        // A listener that is never accepted from: the kernel completes the handshake, then silence.
        var silent = LoopbackPort.Silent();
        try
        {
            using var upstream = new GitTestRepository();
            var port = LoopbackPort.Of(silent);
            var source = new GitSource(
                new GitSourceOptions { Url = $"git://127.0.0.1:{port}/repo.git", StateDirectory = upstream.StateDirectory, Timeout = TimeSpan.FromSeconds(1) },
                _loggers.CreateLogger<GitSource>());

            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<SourceException>(() => source.SyncAsync(CancellationToken.None));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
            Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            // Closing the listener resets the connection, which frees the abandoned libgit2 call.
            silent.Stop();
            silent.Dispose();
        }
    }

    [Fact]
    public async Task An_unset_token_variable_is_an_anonymous_attempt_not_a_refusal()
    {
        using var upstream = new GitTestRepository();
        var source = new GitSource(
            new GitSourceOptions { Url = "https://127.0.0.1:1/repo.git", StateDirectory = upstream.StateDirectory, TokenEnvironmentVariable = _tokenVariable + "_UNSET" },
            _loggers.CreateLogger<GitSource>());

        var error = await Assert.ThrowsAsync<SourceException>(() => source.SyncAsync(CancellationToken.None));

        // A public repository needs no token: the remote is tried, and here it is the unreachable address that fails.
        Assert.Contains("https://127.0.0.1:1/repo.git", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("is not set", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_tokenVariable, null);
        _loggers.Dispose();
        _logs.Dispose();
    }
}
