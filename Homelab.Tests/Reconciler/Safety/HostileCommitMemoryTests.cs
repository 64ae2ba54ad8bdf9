using Homelab.Reconciler.Source;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Source;
using Xunit.Abstractions;

namespace Homelab.Tests.Reconciler.Safety;

/// <summary>
/// A commit far over the size limits, fetched as in a pod (smart HTTP) or read from a local path, keeps the built
/// reconciler under the published 128 MiB memory limit, fails the commit with a typed value, and the revert
/// reconciles with the same state directory. Over git:// the limit is not met yet (see the skipped case).
/// </summary>
public sealed class HostileCommitMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long PodLimitBytes = Homelab.Defaults.ReconcilerDefaults.PodMemoryLimitMiB * 1024L * 1024;

    // Random bytes, so the pack cannot compress under the limit; made at test time, never committed here.
    private const int BigFileBytes = 400 * 1024 * 1024;

    private readonly GitHttpBackendShim _server = new();
    private readonly string _home = Directory.CreateTempSubdirectory("homelab-home-").FullName;

    public Task InitializeAsync() => _server.InitializeAsync();

    [Fact]
    public async Task A_400_MB_file_over_smart_http_stays_under_the_pod_memory_limit_and_the_revert_reconciles()
    {
        using var upstream = new GitTestRepository(_server.ProjectRoot);
        _server.MakePublic(upstream.Name);

        var (hostile, reverted) = await HostileThenRevertAsync(upstream, _server.UrlOf(upstream.Name));

        Assert.Contains($"more than {SourceLimits.Default.MaxFetchBytes} bytes, over the limit of {SourceLimits.Default.MaxTotalBytes} bytes", hostile.Output, StringComparison.Ordinal);
        Assert.True(hostile.PeakBytes < PodLimitBytes, $"peak {hostile.PeakBytes / (1024 * 1024)} MiB");
        Assert.True(reverted.PeakBytes < PodLimitBytes, $"revert peak {reverted.PeakBytes / (1024 * 1024)} MiB");
    }

    [Fact]
    public async Task A_400_MB_file_from_a_path_stays_under_the_pod_memory_limit_and_the_revert_reconciles()
    {
        using var upstream = new GitTestRepository();

        var (hostile, reverted) = await HostileThenRevertAsync(upstream, upstream.BarePath);

        Assert.Contains($"big.bin: file is {BigFileBytes} bytes, over the limit of {SourceLimits.Default.MaxFileBytes} bytes", hostile.Output, StringComparison.Ordinal);
        Assert.True(hostile.PeakBytes < PodLimitBytes, $"peak {hostile.PeakBytes / (1024 * 1024)} MiB");
        Assert.True(reverted.PeakBytes < PodLimitBytes, $"revert peak {reverted.PeakBytes / (1024 * 1024)} MiB");
    }

    [Fact(Skip = "Not met: libgit2 fetches whole histories over git:// (its shallow exchange breaks there), and a remote's objects cannot be read before they are fetched, so a 400 MB file peaks at ~452 MiB over git://. The commit still fails typed and the revert reconciles.")]
    public async Task A_400_MB_file_over_git_stays_under_the_pod_memory_limit()
    {
        using var daemon = new GitDaemon();
        using var upstream = new GitTestRepository(daemon.BasePath);

        var (hostile, _) = await HostileThenRevertAsync(upstream, daemon.UrlOf(upstream.Name));

        Assert.Contains($"big.bin: file is {BigFileBytes} bytes, over the limit of {SourceLimits.Default.MaxFileBytes} bytes", hostile.Output, StringComparison.Ordinal);
        Assert.True(hostile.PeakBytes < PodLimitBytes, $"peak {hostile.PeakBytes / (1024 * 1024)} MiB");
    }

    /// <summary>Reconciles a good commit, a 400 MB one (which must fail typed) and its revert (which must succeed).</summary>
    private async Task<(Run Hostile, Run Reverted)> HostileThenRevertAsync(GitTestRepository upstream, string url)
    {
        upstream.Commit("c/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        var good = await ReconcileAsync(url);
        Assert.True(good.ExitCode == 0, good.Output);

        var big = new byte[BigFileBytes];
        Random.Shared.NextBytes(big);
        await File.WriteAllBytesAsync(Path.Combine(upstream.AuthorPath, "big.bin"), big);
        upstream.Commit("c/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n");

        var hostile = await ReconcileAsync(url);
        output.WriteLine($"good {good.PeakBytes / (1024 * 1024)} MiB, hostile {hostile.PeakBytes / (1024 * 1024)} MiB");
        Assert.NotEqual(0, hostile.ExitCode);
        Assert.Contains("ArtifactFailed", hostile.Output, StringComparison.Ordinal);
        Assert.Contains("nothing of it was checked out", hostile.Output, StringComparison.Ordinal);

        GitTestRepository.Git(upstream.AuthorPath, "revert", "--no-edit", "HEAD");
        GitTestRepository.Git(upstream.AuthorPath, "push", "--quiet", "origin", "HEAD:main");
        var reverted = await ReconcileAsync(url);
        output.WriteLine($"revert {reverted.PeakBytes / (1024 * 1024)} MiB");
        Assert.True(reverted.ExitCode == 0, reverted.Output);
        Assert.Contains(upstream.Head(), reverted.Output, StringComparison.Ordinal);
        return (hostile, reverted);
    }

    /// <summary>One observe-only cycle of the built reconciler in its own process; its peak resident memory read from /proc.</summary>
    private async Task<Run> ReconcileAsync(string url)
    {
        var dll = Path.Combine(TestPaths.RepositoryRoot, "Homelab.Reconciler", "bin", TestPaths.Configuration, "net10.0", "Homelab.Reconciler.dll");
        using var process = ProcessRunner.Start(
            "dotnet",
            [dll, "reconcile", "--once", "--source", url, "--path", "c", "--state-dir", Path.Combine(_home, "state")],
            environment: new Dictionary<string, string?> { ["HOME"] = _home, ["KUBECONFIG"] = null, ["KUBERNETES_SERVICE_HOST"] = null });
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var peak = 0L;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, HighWaterMark(process.Id));
            await Task.Delay(20);
        }

        await process.WaitForExitAsync();
        return new Run(process.ExitCode, await output + await error, peak);
    }

    /// <summary>VmHWM, the process's peak resident set so far; 0 once it is gone.</summary>
    private static long HighWaterMark(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    private sealed record Run(int ExitCode, string Output, long PeakBytes);
}
