namespace Homelab.Reconciler.Reconcile;

/// <summary>
/// The state directory cannot be used (created, locked, read or written). The message names the path,
/// the user the process runs as and the fix. An <see cref="IOException"/>, as the failure it describes.
/// </summary>
public sealed class StateDirectoryException : IOException
{
    public StateDirectoryException()
    {
    }

    public StateDirectoryException(string message)
        : base(message)
    {
    }

    public StateDirectoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The failure <paramref name="cause"/> of using <paramref name="directory"/>, with the fix.</summary>
    public static StateDirectoryException For(string directory, Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        return new StateDirectoryException(
            $"the state directory {directory} cannot be used: {cause.Message.ReplaceLineEndings(" ")}; the reconciler runs as {CurrentUser()}, which needs write access to it " +
            "(in a pod: fsGroup or a chown of the volume), or set Reconciler:StateDirectory (--state-dir) to a folder it can write",
            cause);
    }

    /// <summary>"uid 1654" where the kernel says (the uid is what a volume's owner must match), else the user name.</summary>
    private static string CurrentUser()
    {
        try
        {
            if (File.Exists("/proc/self/status")
                && File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal)) is { } line
                && line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries) is [_, var uid, ..])
            {
                return $"uid {uid}";
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or no /proc: the name says enough.
        }

        return $"user {Environment.UserName}";
    }
}
