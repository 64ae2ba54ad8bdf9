using System.Diagnostics;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// A real Kubernetes-style API server: Aspire's DCP started standalone. With controllers on, an
/// applied <c>Executable</c> really starts its process and deleting it stops the process; with
/// <c>--server-only</c> objects are stored and nothing runs (the benchmark's setting). Shared, as a
/// linked file, by Homelab.Tests and Homelab.Benchmarks.
/// </summary>
public sealed class DcpApiServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private DcpApiServer(Process process, string directory, string kubeconfig)
    {
        _process = process;
        _directory = directory;
        Kubeconfig = kubeconfig;
    }

    public string Kubeconfig { get; }

    /// <param name="dcp">The dcp binary.</param>
    /// <param name="serverOnly">Store objects, run nothing.</param>
    /// <param name="kubeconfig">Where to write the kubeconfig (default: a new temp folder).</param>
    /// <param name="port">A fixed port, so a restarted server answers at the same address.</param>
    public static async Task<DcpApiServer> StartAsync(string dcp, bool serverOnly, string? kubeconfig = null, int? port = null)
    {
        var directory = Directory.CreateTempSubdirectory("homelab-dcp-").FullName;
        kubeconfig ??= Path.Combine(directory, "kubeconfig");
        File.Delete(kubeconfig);
        var start = new ProcessStartInfo(dcp)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "start-apiserver", "--kubeconfig", kubeconfig, "--root-dir", directory, "--monitor", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        if (serverOnly)
        {
            start.ArgumentList.Add("--server-only");
        }

        if (port is { } fixedPort)
        {
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add(fixedPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dcp did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new DcpApiServer(process, directory, kubeconfig);

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
                    await api.GetAsync("/apis/usvc-dev.developer.microsoft.com/v1", default);
                    return server;
                }
                catch (Exception ex) when (ex is HttpRequestException or KubeApiException or KubeconfigException or IOException)
                {
                    // Not up yet.
                }
            }

            await Task.Delay(200);
        }

        await server.DisposeAsync();
        throw new TimeoutException("dcp did not answer within 60 s");
    }

    public KubeApi Connect() => KubeApi.ConnectOrThrow(Kubeconfig);

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
