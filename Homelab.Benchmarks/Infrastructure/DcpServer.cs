using System.Diagnostics;
using System.Globalization;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Benchmarks.Infrastructure;

/// <summary>
/// Aspire's DCP started standalone with <c>--server-only</c>: a real, inert Kubernetes-style API server
/// on loopback (objects are stored, nothing runs), the same way Homelab.Tests starts it.
/// </summary>
internal sealed class DcpServer : IAsyncDisposable
{
    public const string Group = "usvc-dev.developer.microsoft.com/v1";
    public const string Executables = "/apis/usvc-dev.developer.microsoft.com/v1/executables";

    private readonly Process _process;
    private readonly string _directory;

    private DcpServer(Process process, string directory, string kubeconfig)
    {
        _process = process;
        _directory = directory;
        Kubeconfig = kubeconfig;
    }

    public string Kubeconfig { get; }

    public static async Task<DcpServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("homelab-bench-dcp-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        var start = new ProcessStartInfo(BenchPaths.Dcp)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "start-apiserver", "--kubeconfig", kubeconfig, "--root-dir", directory, "--server-only", "--monitor", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dcp did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new DcpServer(process, directory, kubeconfig);

        // Ready when the kubeconfig exists and discovery answers.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"dcp exited with {process.ExitCode}");
            }

            if (File.Exists(kubeconfig))
            {
                try
                {
                    using var api = server.Connect();
                    await api.GetAsync("/apis/" + Group, default);
                    return server;
                }
                catch (Exception ex) when (ex is HttpRequestException or KubeApiException or k8s.Exceptions.KubeConfigException or IOException)
                {
                    // Not up yet.
                }
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new TimeoutException("dcp did not answer within 60 s");
    }

    public KubeApi Connect() => KubeApi.Connect(Kubeconfig);

    /// <summary>How many Executables the server holds.</summary>
    public async Task<int> CountExecutablesAsync()
    {
        using var api = Connect();
        var list = await api.GetAsync(Executables, default);
        return list?["items"]?.AsArray().Count ?? 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // DCP may still hold a log file open: the temp folder is cleaned by the OS.
        }
    }
}
