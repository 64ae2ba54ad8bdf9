using System.Text.RegularExpressions;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// Turns a folder on the user's machine into the path the cluster's node sees. Docker Desktop's
/// Kubernetes node mounts Windows drives under <c>/run/desktop/mnt/host/&lt;drive&gt;</c>
/// (docker/for-win#5066), so <c>C:\Users\me\Music</c> is <c>/run/desktop/mnt/host/c/Users/me/Music</c>.
/// </summary>
internal static partial class HostPathTranslator
{
    public static string? Translate(string path, string profile, out string? error)
    {
        error = null;
        var windows = WindowsPath().Match(path);
        if (windows.Success)
        {
            if (profile != PublishSettings.DockerDesktopProfile)
            {
                error = $"\"{path}\" is a Windows path, which only the {PublishSettings.DockerDesktopProfile} cluster profile can translate";
                return null;
            }

            var drive = windows.Groups["drive"].Value.ToLowerInvariant();
            var rest = windows.Groups["rest"].Value.Replace('\\', '/').Trim('/');
            return rest.Length == 0 ? $"/run/desktop/mnt/host/{drive}" : $"/run/desktop/mnt/host/{drive}/{rest}";
        }

        if (!path.StartsWith('/'))
        {
            error = $"\"{path}\" is not an absolute path";
            return null;
        }

        return path;
    }

    [GeneratedRegex(@"^(?<drive>[A-Za-z]):(?<rest>[\\/].*)?$")]
    private static partial Regex WindowsPath();
}
