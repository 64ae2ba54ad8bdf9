namespace Homelab.AppHost.Syncthing;

/// <summary>
/// The init step that writes Syncthing's GUI user and password before the GUI starts. The password
/// reaches it in the environment and goes to <c>syncthing generate --gui-password -</c> on standard
/// input: never in an argument, which <c>podman inspect</c>, <c>ps</c> and the published manifest show.
/// </summary>
internal static class SyncthingInit
{
    /// <summary>The environment variable holding the GUI password.</summary>
    public const string PasswordVariable = "SYNCTHING_GUI_PASSWORD";

    /// <summary>The shell both the official image (busybox) and the local stand-in (dash) have.</summary>
    public const string Shell = "/bin/sh";

    /// <summary>
    /// As root (the official image run locally), it does what the image's entrypoint does: own the home
    /// and drop to PUID:PGID (default 1000) with su-exec, so the files it writes belong to the user the
    /// GUI container runs as. In a cluster it already runs as that user; the stand-in image has no su-exec.
    /// </summary>
    public static string Script { get; } = string.Join(
        "\n",
        "set -e",
        "run=",
        "if command -v su-exec >/dev/null 2>&1 && [ \"$(id -u)\" = 0 ]; then",
        $"  chown \"${{PUID:-1000}}:${{PGID:-1000}}\" {SyncthingResource.HomePath} {SyncthingResource.ConfigPath}",
        "  run=\"su-exec ${PUID:-1000}:${PGID:-1000}\"",
        "fi",
        $"printf '%s' \"${PasswordVariable}\" | exec $run /bin/syncthing generate --home {SyncthingResource.ConfigPath} --gui-user {SyncthingResource.GuiUser} --gui-password - --no-default-folder --skip-port-probing");
}
