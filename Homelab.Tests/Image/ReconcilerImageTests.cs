using System.Text.Json.Nodes;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Source;
using k8s;

namespace Homelab.Tests.Image;

/// <summary>
/// The image eng/build-image.sh builds, run with podman as a cluster runs it: against a real API server
/// (DCP), reconciling a Git repository it reaches over the network (a <c>git daemon</c> on loopback,
/// the container on the host's network), as the non-root user the published Deployment uses.
/// </summary>
[Collection(DcpCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReconcilerImageTests(DcpFixture dcp, ReconcilerImageFixture image, GitDaemon daemon)
    : IClassFixture<ReconcilerImageFixture>, IClassFixture<GitDaemon>
{
    private const string ClusterPath = "clusters/test";
    private const string AppUid = "1654";
    private const UnixFileMode Everyone = (UnixFileMode)0b111_111_111; // 0777
    private const UnixFileMode ReadableDirectory = (UnixFileMode)0b111_101_101; // 0755
    private const UnixFileMode ReadableFile = (UnixFileMode)0b110_100_100; // 0644

    [ImageFact]
    public void The_image_is_small_runs_as_the_app_user_and_defaults_to_the_service()
    {
        var (exitCode, output) = Podman.Run("image", "inspect", "--format", "{{.Size}}|{{.Config.User}}|{{json .Config.Entrypoint}}|{{json .Config.Cmd}}", image.Reference);
        Assert.True(exitCode == 0, output);
        var fields = output.Trim().Split('|');

        Assert.True(long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture) < 120_000_000, $"the image is {fields[0]} bytes, over 120 MB");
        Assert.Equal($"{AppUid}:{AppUid}", fields[1]);
        Assert.Equal("""["/app/Homelab.Reconciler"]""", fields[2]);
        Assert.Equal("""["run"]""", fields[3]);
    }

    [ImageFact]
    public async Task Reconcile_once_with_a_mounted_kubeconfig_applies_the_repository_as_the_app_user()
    {
        var prefix = Manifests.Prefix();
        using var repository = Repository($"{prefix}-a");
        var files = Directory.CreateTempSubdirectory("homelab-image-").FullName;
        var kubeconfig = Readable(Path.Combine(files, "kubeconfig"), File.ReadAllBytes(dcp.Server.Kubeconfig));
        // A state directory on the host shows who wrote it: the container's user, not root.
        var state = Directory.CreateDirectory(Path.Combine(files, "state")).FullName;
        File.SetUnixFileMode(state, Everyone);

        var output = RunOnce(["-v", $"{kubeconfig}:/kube/config:ro", "-v", $"{state}:/state"], repository, "--kubeconfig", "/kube/config", "--state-dir", "/state");

        Assert.Contains($"Executable/{prefix}-a created", output, StringComparison.Ordinal);
        using var api = dcp.Server.Connect();
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-a"));
        var inventory = Assert.Single(StateDirectory.InventoryFiles(state));
        Assert.Equal(AppUid, (await ProcessRunner.RunAsync("stat", ["-c", "%u", inventory])).Trim());
    }

    [ImageFact]
    public async Task Reconcile_once_in_cluster_uses_the_service_account_without_any_kubeconfig()
    {
        var prefix = Manifests.Prefix();
        using var repository = Repository($"{prefix}-b");
        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(dcp.Server.Kubeconfig));
        var server = new Uri(config.Clusters.Single().ClusterEndpoint.Server);
        // The server's certificate names 127.0.0.1 only: the in-cluster address must be that.
        Assert.Equal("127.0.0.1", server.Host);
        var account = Directory.CreateTempSubdirectory("homelab-serviceaccount-").FullName;
        Readable(Path.Combine(account, "token"), System.Text.Encoding.ASCII.GetBytes(config.Users.Single().UserCredentials.Token));
        Readable(Path.Combine(account, "ca.crt"), Convert.FromBase64String(config.Clusters.Single().ClusterEndpoint.CertificateAuthorityData));
        File.SetUnixFileMode(account, ReadableDirectory);

        // The default state directory: the app user's HOME must be writable.
        var output = RunOnce(
            [
                "-e", $"KUBERNETES_SERVICE_HOST={server.Host}",
                "-e", $"KUBERNETES_SERVICE_PORT={server.Port}",
                "-v", $"{account}:/var/run/secrets/kubernetes.io/serviceaccount:ro",
            ],
            repository);

        Assert.Contains($"Executable/{prefix}-b created", output, StringComparison.Ordinal);
        using var api = dcp.Server.Connect();
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-b"));
    }

    [ImageFact]
    public async Task The_default_command_runs_the_service_which_applies_and_answers_status()
    {
        var prefix = Manifests.Prefix();
        using var repository = Repository($"{prefix}-c");
        var head = repository.Head();
        var files = Directory.CreateTempSubdirectory("homelab-image-").FullName;
        var kubeconfig = Readable(Path.Combine(files, "kubeconfig"), File.ReadAllBytes(dcp.Server.Kubeconfig));
        var port = LoopbackPort.Unused();
        var container = $"homelab-image-test-{prefix}";

        // No arguments: the image's CMD, `run`, with the settings the Deployment passes as environment.
        var (exitCode, started) = Podman.Run(
            "run", "-d", "--name", container, "--network", "host",
            "-e", $"ASPNETCORE_HTTP_PORTS={port}",
            "-e", $"Reconciler__Source={daemon.UrlOf(repository.Name)}",
            "-e", "Reconciler__Ref=main",
            "-e", $"Reconciler__Path={ClusterPath}",
            "-e", "Reconciler__Kubeconfig=/kube/config",
            "-v", $"{kubeconfig}:/kube/config:ro",
            image.Reference);
        Assert.True(exitCode == 0, started);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            string? applied = null;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (applied is null && DateTime.UtcNow < deadline)
            {
                try
                {
                    var status = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/status")));
                    applied = status?["lastAppliedRevision"]?.GetValue<string>();
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(500);
            }

            Assert.True(applied == $"main@sha1:{head}", $"status never showed {head}: {Podman.Run("logs", container).Output}");
            using var api = dcp.Server.Connect();
            Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-c"));
        }
        finally
        {
            Podman.Run("rm", "-f", container);
        }
    }

    /// <summary>A repository on the git daemon holding one Executable.</summary>
    private GitTestRepository Repository(string executable)
    {
        var repository = new GitTestRepository(daemon.BasePath);
        repository.Commit($"{ClusterPath}/app.yaml", Yaml.Executable(executable));
        return repository;
    }

    /// <summary>`reconcile --once` in a fresh container on the host's network; returns its output.</summary>
    private string RunOnce(string[] podmanOptions, GitTestRepository repository, params string[] extra)
    {
        var (exitCode, output) = Podman.Run(
        [
            "run", "--rm", "--network", "host", .. podmanOptions, image.Reference,
            "reconcile", "--once", "--source", daemon.UrlOf(repository.Name), "--ref", "main", "--path", ClusterPath, "--quiet", .. extra,
        ]);
        Assert.True(exitCode == 0, output);
        return output;
    }

    /// <summary>A file the container's non-root user can read (a kubeconfig is written 0600 by DCP).</summary>
    private static string Readable(string path, byte[] content)
    {
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, ReadableFile);
        return path;
    }
}
