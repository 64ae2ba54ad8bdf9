using System.Globalization;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// A folder on the node that a hostPath PersistentVolume points at, and the user its pod runs as:
/// hostPath keeps the folder's owner (the kubelet applies no <c>fsGroup</c> to it), so the folder
/// must belong to that user before the pod writes to it.
/// </summary>
/// <param name="Path">The folder as the node sees it.</param>
/// <param name="User">The uid the pod runs as.</param>
/// <param name="Group">The gid the pod runs as.</param>
/// <param name="Writable">Whether the pod writes to it (read-only folders need only be readable).</param>
/// <param name="MustExist">Whether the PersistentVolume refuses a missing folder (<c>type: Directory</c>).</param>
internal sealed record NodeFolder(string Path, long User, long Group, bool Writable, bool MustExist)
{
    /// <summary>The shell command that prepares the folder on the node.</summary>
    public string Command
    {
        get
        {
            var owner = string.Create(CultureInfo.InvariantCulture, $"{User}:{Group}");
            return Writable
                ? $"sudo mkdir -p '{Path}' && sudo chown -R {owner} '{Path}'"
                : $"sudo mkdir -p '{Path}' && sudo chmod -R a+rX '{Path}'   # read-only: uid {owner} only reads it";
        }
    }
}
