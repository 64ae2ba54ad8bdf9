using System.Diagnostics;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Image;

/// <summary>
/// A private containerd (Debian's package, as a k3s or kubeadm node runs it), started for one test on its
/// own socket, root and state folders, with the CRI plugin off: its content store and image names are
/// the ones the kubelet's CRI reads. Stopped and removed on dispose.
/// </summary>
internal sealed class Containerd : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private Containerd(Process process, string folder)
    {
        _process = process;
        _folder = folder;
    }

    public string Address => Path.Combine(_folder, "containerd.sock");

    /// <summary>Why containerd cannot run here, or null: ctr and containerd must be installed and this process root.</summary>
    public static string? UnavailableReason()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':');
        if (!path.Any(p => File.Exists(Path.Combine(p, "containerd"))) || !path.Any(p => File.Exists(Path.Combine(p, "ctr"))))
        {
            return "containerd is not installed (Debian: apt-get install containerd)";
        }

        return Environment.UserName == "root" ? null : "containerd needs root";
    }

    public static async Task<Containerd> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("homelab-containerd-").FullName;
        var config = Path.Combine(folder, "config.toml");
        File.WriteAllText(config, "version = 2\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n");
        var process = ProcessRunner.Start("containerd", ["--config", config, "--address", Path.Combine(folder, "containerd.sock"), "--root", Path.Combine(folder, "root"), "--state", Path.Combine(folder, "state")]);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var containerd = new Containerd(process, folder);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await containerd.CtrAsync("default", "version")).ExitCode != 0)
            {
                Assert.False(process.HasExited, $"containerd exited {(process.HasExited ? process.ExitCode : 0)}");
                Assert.True(DateTime.UtcNow < deadline, "containerd did not answer on its socket within 30 s");
                await Task.Delay(200);
            }
        }
        catch
        {
            // A failed start-up leaves neither the daemon nor its folder behind.
            await containerd.DisposeAsync();
            throw;
        }

        return containerd;
    }

    /// <summary>Runs <c>ctr --address … -n NAMESPACE args…</c> against this containerd.</summary>
    public Task<ProcessResult> CtrAsync(string ns, params string[] args) =>
        ProcessRunner.RunToExitAsync("ctr", ["--address", Address, "-n", ns, .. args]);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
