using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Homelab.AppHost.Backups;
using Homelab.AppHost.Syncthing;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.AppHost.Backups;

/// <summary>
/// The sidecar's script under podman with the local Syncthing image: it copies, keeps the newest N, takes
/// a snapshot on its schedule, and a snapshot restored onto a wiped config volume gives back the same
/// device ID and folders, as a real Syncthing reads them. The restore steps are the ones the report documents.
/// </summary>
[Collection(AppHostRunCollection.Name)]
public sealed class SyncthingBackupPodmanTests
{
    private static readonly string Image = $"{Podman.SyncthingImage}:{Podman.SyncthingTag}";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [PodmanFact]
    public async Task Backups_keep_the_newest_n_run_on_schedule_and_restore_onto_a_wiped_volume_as_the_same_device_with_its_folders()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var volume = $"homelab-test-{id}-syncthing-config";
        var syncthing = $"homelab-test-{id}-syncthing";
        var sidecar = $"homelab-test-{id}-backup";
        var backups = Directory.CreateTempSubdirectory("homelab-backups-").FullName;
        var apiKey = RandomNumberGenerator.GetHexString(32);
        var folderId = $"notes-{id}";
        try
        {
            // A device with a folder, as the AppHost's init and Syncthing make it.
            Must(Podman.Run("volume", "create", volume));
            Must(Podman.Run("run", "--rm", "-v", $"{volume}:{SyncthingResource.ConfigPath}", Image, "generate", "--home", SyncthingResource.ConfigPath, "--no-default-folder", "--skip-port-probing"));
            using (var http = await StartSyncthingAsync(syncthing, volume, apiKey))
            {
                using var added = await http.PostAsJsonAsync("/rest/config/folders", new JsonObject { ["id"] = folderId, ["label"] = "Notes", ["path"] = "/var/syncthing/notes" });
                added.EnsureSuccessStatusCode();
            }

            var deviceId = DeviceId(volume);
            Assert.Matches("^[A-Z0-9]{7}(-[A-Z0-9]{7}){7}$", deviceId);

            // The sidecar exactly as the model runs it, every minute, keeping 2.
            Must(Podman.Run(
                "run", "-d", "--name", sidecar, "--entrypoint", "/bin/sh",
                "-e", $"{SyncthingBackup.ScheduleVariable}=* * * * *", "-e", $"{SyncthingBackup.KeepVariable}=2",
                "-v", $"{volume}:{SyncthingResource.ConfigPath}:ro", "-v", $"{backups}:{SyncthingBackup.BackupPath}",
                Image, "-c", SyncthingBackup.Script, "syncthing-backup"));

            // "Back up now" three times: three snapshots taken, the oldest pruned.
            var taken = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var (exitCode, output) = Podman.Run(["exec", sidecar, .. SyncthingBackup.NowCommand]);
                Assert.True(exitCode == 0, output);
                taken.Add(Path.GetFileName(output.Split('\n')[0]["backup: ".Length..].Trim()));
            }

            Assert.Equal(3, taken.Distinct().Count());
            Assert.Equal(taken[1..], Snapshots(backups));
            foreach (var file in new[] { "config.xml", "cert.pem", "key.pem" })
            {
                Assert.Equal(ReadFromVolume(volume, file), File.ReadAllText(Path.Combine(backups, taken[2], file)));
            }

            // A file of the user's in the folder is never pruned, and partial copies are never left behind.
            await File.WriteAllTextAsync(Path.Combine(backups, "README.txt"), "mine");

            // The schedule: a snapshot within the next minute, without being asked.
            var deadline = DateTime.UtcNow + Patience;
            // (The new snapshot appears a moment before the oldest goes: wait for both.)
            while ((Snapshots(backups).Last() == taken[2] || Snapshots(backups).Count != 2) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }

            var scheduled = Snapshots(backups);
            Assert.Equal(2, scheduled.Count);
            Assert.NotEqual(taken[2], scheduled[^1]);
            Assert.True(File.Exists(Path.Combine(backups, "README.txt")));
            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(backups), e => Path.GetFileName(e).StartsWith('.'));

            // Restore, app stopped: wipe the volume, copy the newest snapshot in, start Syncthing.
            Podman.Run("rm", "--force", "--time", "0", sidecar);
            Podman.Run("rm", "--force", "--time", "0", syncthing);
            Must(Podman.Run("volume", "rm", volume));
            Must(Podman.Run("volume", "create", volume));
            Assert.Equal(1, Podman.Run("run", "--rm", "--entrypoint", "/bin/sh", "-v", $"{volume}:{SyncthingResource.ConfigPath}", Image, "-c", $"ls {SyncthingResource.ConfigPath}/config.xml").ExitCode);
            var newest = Path.Combine(backups, scheduled[^1]);
            Must(Podman.Run(
                "run", "--rm", "--entrypoint", "/bin/sh",
                "-v", $"{volume}:{SyncthingResource.ConfigPath}", "-v", $"{newest}:/restore:ro",
                Image, "-c", $"cp -p /restore/* {SyncthingResource.ConfigPath}/"));

            Assert.Equal(deviceId, DeviceId(volume));
            using (var http = await StartSyncthingAsync(syncthing, volume, apiKey))
            {
                var status = await http.GetFromJsonAsync<JsonObject>("/rest/system/status");
                Assert.Equal(deviceId, status!["myID"]!.GetValue<string>());
                var folders = await http.GetFromJsonAsync<JsonArray>("/rest/config/folders");
                Assert.Contains(folderId, folders!.Select(f => f!["id"]!.GetValue<string>()));
            }

            Assert.Contains(folderId, XDocument.Parse(ReadFromVolume(volume, "config.xml")).Descendants("folder").Select(f => (string?)f.Attribute("id")));
        }
        finally
        {
            Podman.Run("rm", "--force", "--time", "0", sidecar);
            Podman.Run("rm", "--force", "--time", "0", syncthing);
            Podman.Run("volume", "rm", "--force", volume);
        }
    }

    /// <summary>Starts Syncthing on the volume (local only) and waits until its REST API answers with the key.</summary>
    private static async Task<HttpClient> StartSyncthingAsync(string name, string volume, string apiKey)
    {
        Podman.Run("rm", "--force", "--time", "0", name);
        var port = LoopbackPort.Unused();
        Must(Podman.Run(
            "run", "-d", "--name", name, "-p", $"127.0.0.1:{port}:{SyncthingResource.GuiPort}",
            "-e", $"STGUIADDRESS=0.0.0.0:{SyncthingResource.GuiPort}", "-e", $"STGUIAPIKEY={apiKey}", "-e", "STNOUPGRADE=1",
            // No internet here: discovery and relays would only time out.
            "-e", "HTTPS_PROXY=http://127.0.0.1:9", "-e", "HTTP_PROXY=http://127.0.0.1:9",
            "-v", $"{volume}:{SyncthingResource.ConfigPath}",
            Image, "serve", "--home", SyncthingResource.ConfigPath, "--no-browser", "--no-default-folder"));
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Add(SyncthingResource.ApiKeyHeader, apiKey);
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                using var ping = await http.GetAsync(new Uri(SyncthingResource.PingPath, UriKind.Relative));
                if (ping.IsSuccessStatusCode)
                {
                    return http;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"Syncthing did not answer: {Podman.Run("logs", name).Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>The device ID from the key pair on the volume, as Syncthing itself computes it.</summary>
    private static string DeviceId(string volume)
    {
        var (exitCode, output) = Podman.Run("run", "--rm", "-v", $"{volume}:{SyncthingResource.ConfigPath}:ro", Image, "serve", "--home", SyncthingResource.ConfigPath, "--device-id");
        Assert.True(exitCode == 0, output);
        return output.Trim();
    }

    private static string ReadFromVolume(string volume, string file)
    {
        var (exitCode, output) = Podman.Run("run", "--rm", "--entrypoint", "/bin/cat", "-v", $"{volume}:{SyncthingResource.ConfigPath}:ro", Image, $"{SyncthingResource.ConfigPath}/{file}");
        Assert.True(exitCode == 0, output);
        return output;
    }

    /// <summary>The snapshot folders, oldest first.</summary>
    private static List<string> Snapshots(string backups) =>
        [.. Directory.EnumerateDirectories(backups).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal)];

    private static void Must((int ExitCode, string Output) result) => Assert.True(result.ExitCode == 0, result.Output);
}
