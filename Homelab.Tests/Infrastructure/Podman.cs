using System.Diagnostics;

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
        var start = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["CONTAINERS_CONF"] = Environment.GetEnvironmentVariable("CONTAINERS_CONF") is { Length: > 0 } conf ? conf : ContainersConf;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
