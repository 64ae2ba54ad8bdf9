
namespace Homelab.Tests.Infrastructure;

/// <summary>The podman set up by eng/setup-podman.sh: runtime, config and the local Syncthing image.</summary>
internal static class Podman
{
    public const string SyncthingImage = "localhost/homelab-syncthing";
    public const string SyncthingTag = "1.19.2";

    public static string ContainersConf => Path.Combine(TestPaths.RepositoryRoot, "eng", "containers.conf");

    /// <summary>Points this process (and DCP, which inherits it) at podman with the project's settings.</summary>
    public static void UseForAspire()
    {
        Environment.SetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME", "podman");
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CONTAINERS_CONF")))
        {
            Environment.SetEnvironmentVariable("CONTAINERS_CONF", ContainersConf);
        }
    }

    public static string? UnavailableReason()
    {
        try
        {
            var (exitCode, _) = Run("image", "exists", $"{SyncthingImage}:{SyncthingTag}");
            return exitCode == 0 ? null : $"podman has no {SyncthingImage}:{SyncthingTag}: run eng/setup-podman.sh";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "podman is not installed: run eng/setup-podman.sh";
        }
    }

    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var conf = Environment.GetEnvironmentVariable("CONTAINERS_CONF") is { Length: > 0 } configured ? configured : ContainersConf;
        var result = ProcessRunner.RunToExit("podman", args, environment: new Dictionary<string, string?> { ["CONTAINERS_CONF"] = conf });
        return (result.ExitCode, result.Output + result.Error);
    }
}
