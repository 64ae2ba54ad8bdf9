using Aspire.Hosting;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.AppHost;

/// <summary>
/// A run of the real AppHost on podman, as the tests that start it need it: Syncthing from the local stand-in image,
/// kept off the internet, on fixed ports of the test's own; volumes under a prefix of the run's own, removed after.
/// </summary>
internal sealed class LocalRun
{
    private const int GuiPort = 18384;
    private const int SyncPort = 22100;
    private const int DiscoveryPort = 21127;

    private LocalRun(string volumePrefix) => VolumePrefix = volumePrefix;

    public string VolumePrefix { get; }

    /// <summary>Points Aspire (and DCP, which inherits this process's environment) at podman.</summary>
    public static LocalRun OnPodman()
    {
        Podman.UseForAspire();
        return new LocalRun($"homelab-test-{Guid.NewGuid():N}-");
    }

    /// <summary>The AppHost's settings for the run, Syncthing's ports moved by <paramref name="portOffset"/>, then <paramref name="settings"/>.</summary>
    public string[] Settings(int portOffset, params string[] settings) =>
    [
        $"Homelab:VolumePrefix={VolumePrefix}",
        $"Homelab:Syncthing:Image={Podman.SyncthingImage}",
        $"Homelab:Syncthing:Tag={Podman.SyncthingTag}",
        "Homelab:Syncthing:LocalOnly=true",
        $"Homelab:Syncthing:GuiPort={GuiPort + portOffset}",
        $"Homelab:Syncthing:SyncPort={SyncPort + portOffset}",
        $"Homelab:Syncthing:DiscoveryPort={DiscoveryPort + portOffset}",
        .. settings,
    ];

    /// <summary>Stops the app, then removes the run's <paramref name="volumes"/> (names without the prefix).</summary>
    public async Task StopAsync(DistributedApplication app, params string[] volumes)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StopAsync();
        foreach (var volume in volumes)
        {
            Podman.Run("volume", "rm", "--force", VolumePrefix + volume);
        }
    }

    /// <summary>Every container podman knows of, as its name and command line (Cmd, Args, Entrypoint): where no secret may appear.</summary>
    public static string ContainerCommandLines() =>
        Podman.Run(["inspect", "--format", "{{.Name}} {{json .Config.Cmd}} {{json .Args}} {{json .Config.Entrypoint}}", .. Podman.Run("ps", "--all", "--quiet").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)]).Output;
}
