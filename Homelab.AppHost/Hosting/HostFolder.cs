using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Homelab.AppHost.Hosting;

/// <summary>A folder on the user's machine that an app mounts (music, notes).</summary>
internal static class HostFolder
{
    /// <summary>
    /// Expands <c>~</c> and makes the path absolute. Bind mounts need absolute host paths.
    /// </summary>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (path == "~")
        {
            return home;
        }

        if (path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            path = Path.Combine(home, path[2..]);
        }

        return Path.GetFullPath(path);
    }

    /// <summary>
    /// Creates the folder when it is missing, with a warning: a missing folder would otherwise be
    /// created by the container runtime as root, or fail the mount.
    /// </summary>
    public static string EnsureExists(string path, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var full = Resolve(path);
        if (!Directory.Exists(full))
        {
            logger.LogWarning("Folder {Folder} did not exist; created it empty", full);
            Directory.CreateDirectory(full);
        }

        return full;
    }

    /// <summary>Ensures each folder exists before the apps start (run mode only: publishing creates nothing).</summary>
    public static Task EnsureAllExist(IServiceProvider services, params string[] folders)
    {
        ArgumentNullException.ThrowIfNull(services);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HostFolder).FullName!);
        foreach (var folder in folders)
        {
            EnsureExists(folder, logger);
        }

        return Task.CompletedTask;
    }
}
