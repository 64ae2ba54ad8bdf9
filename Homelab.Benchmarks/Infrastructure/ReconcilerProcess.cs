using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace Homelab.Benchmarks.Infrastructure;

/// <summary>
/// <c>run</c> as its own process on a loopback port, native (the executable the image ships) or JIT
/// (<c>dotnet Homelab.Reconciler.dll</c>), and what /proc says about it (resident memory, open files, threads).
/// </summary>
internal sealed class ReconcilerProcess : IAsyncDisposable
{
    public const string ApiToken = "bench-api-token-0123456789";

    private readonly Process _process;

    private ReconcilerProcess(Process process, HttpClient http)
    {
        _process = process;
        Http = http;
    }

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>run</c> on a free loopback port; <paramref name="cgroup"/>, when given, is the memory cgroup
    /// it starts in (it moves itself in before exec, so all its memory is charged there).</summary>
    public static ReconcilerProcess Start(string source, string kubeconfig, string state, TimeSpan interval, bool native = true, MemoryCgroup? cgroup = null)
    {
        var port = FreePort.Next();
        string[] command = [native ? BenchPaths.NativeReconciler : "dotnet", .. native ? [] : new[] { BenchPaths.ReconcilerDll }, "run", "--urls", $"http://127.0.0.1:{port}"];
        if (cgroup is not null)
        {
            // The shell's pid is the reconciler's after exec.
            command = ["/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", cgroup.ProcsFile, .. command];
        }

        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command[1..])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Reconciler__Source"] = source;
        start.Environment["Reconciler__Ref"] = "main";
        start.Environment["Reconciler__Path"] = BenchRepository.ClusterPath;
        start.Environment["Reconciler__Kubeconfig"] = kubeconfig;
        start.Environment["Reconciler__StateDirectory"] = state;
        start.Environment["Reconciler__Interval"] = interval.ToString("c", CultureInfo.InvariantCulture);
        start.Environment["Reconciler__ApiToken"] = ApiToken;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the reconciler did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ReconcilerProcess(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) });
    }

    /// <summary>Asks for a full cycle now (POST /reconcile with the token), as a push or an operator would.</summary>
    public async Task ForceCycleAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/reconcile");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiToken);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>VmRSS and VmHWM in MiB, and the thread count, from /proc/PID/status; open descriptors from /proc/PID/fd.</summary>
    public (double RssMiB, double PeakMiB, int Threads, int Files) Read()
    {
        var lines = File.ReadAllLines($"/proc/{_process.Id}/status");
        long Field(string name) => long.Parse(lines.First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(' ', '\t').Last(s => s.Length > 0 && char.IsDigit(s[0])), CultureInfo.InvariantCulture);
        var files = Directory.GetFileSystemEntries($"/proc/{_process.Id}/fd").Length;
        return (Field("VmRSS") / 1024.0, Field("VmHWM") / 1024.0, (int)Field("Threads"), files);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
