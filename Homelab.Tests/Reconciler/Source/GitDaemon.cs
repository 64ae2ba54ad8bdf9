using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Source;

/// <summary>
/// A real <c>git daemon</c> on 127.0.0.1 serving every repository under <see cref="BasePath"/>
/// over git://. Used as an xunit class fixture, or on its own when a test needs to stop it.
/// </summary>
public sealed class GitDaemon : IDisposable
{
    private readonly Process _process;

    public GitDaemon()
    {
        BasePath = Path.Combine(Path.GetTempPath(), "homelab-gitd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(BasePath);
        Port = LoopbackPort.Unused();

        _process = ProcessRunner.Start(
            "git",
            ["daemon", "--export-all", "--reuseaddr", $"--base-path={BasePath}", "--listen=127.0.0.1", $"--port={Port}", "--enable=receive-pack", BasePath],
            environment: new Dictionary<string, string?> { ["GIT_CONFIG_GLOBAL"] = "/dev/null" });
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilListening();
    }

    /// <summary>The directory whose repositories the daemon serves.</summary>
    public string BasePath { get; }

    /// <summary>The port the daemon listens on.</summary>
    public int Port { get; }

    /// <summary>The git:// URL of a repository directory under <see cref="BasePath"/>.</summary>
    public string UrlOf(string name) => $"git://127.0.0.1:{Port}/{name}";

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"git daemon exited with {_process.ExitCode}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException($"git daemon did not listen on port {Port}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(BasePath, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
