using System.Globalization;
using System.Text.Json;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// A published container as <c>podman run</c> arguments, as a kubelet would start it: the pod's and
/// container's user, read-only root (and no tmpfs podman would add on its own), dropped capabilities, no
/// new privileges, its env (Secret keys from the given values; optional ones may be absent), claims as host folders, emptyDirs
/// as tmpfs, command and args. The image is the caller's (a stand-in where the real one cannot be pulled).
/// </summary>
internal static class PublishedContainer
{
    public static List<string> PodmanArguments(V1PodSpec pod, V1Container container, string image, IReadOnlyDictionary<string, string> claimFolders, IReadOnlyDictionary<string, string> secrets)
    {
        var security = container.SecurityContext;
        var user = security?.RunAsUser ?? pod.SecurityContext?.RunAsUser;
        var group = security?.RunAsGroup ?? pod.SecurityContext?.RunAsGroup;
        var args = new List<string>();
        if (user is not null)
        {
            args.AddRange(["--user", string.Create(CultureInfo.InvariantCulture, $"{user}:{group ?? user}")]);
        }

        if (security?.ReadOnlyRootFilesystem == true)
        {
            args.AddRange(["--read-only", "--read-only-tmpfs=false"]);
        }

        foreach (var capability in security?.Capabilities?.Drop ?? [])
        {
            args.AddRange(["--cap-drop", capability]);
        }

        if (security?.AllowPrivilegeEscalation == false)
        {
            args.AddRange(["--security-opt", "no-new-privileges"]);
        }

        foreach (var mount in container.VolumeMounts ?? [])
        {
            var volume = pod.Volumes.Single(v => v.Name == mount.Name);
            args.AddRange(volume switch
            {
                { EmptyDir: not null } => ["--tmpfs", $"{mount.MountPath}:mode=1777"],
                // An optional Secret the test never creates: a kubelet starts the pod without it.
                { Secret: { Optional: true } } => [],
                { PersistentVolumeClaim: { } claim } => ["-v", $"{claimFolders[claim.ClaimName]}:{mount.MountPath}{(mount.ReadOnlyProperty == true || claim.ReadOnlyProperty == true ? ":ro" : string.Empty)}"],
                _ => throw new InvalidOperationException($"{container.Name}: volume {mount.Name} is neither a claim, an emptyDir nor an optional Secret"),
            });
        }

        foreach (var env in container.Env ?? [])
        {
            // A kubelet leaves an optional key that the Secret lacks unset.
            if (env.Value is null && env.ValueFrom.SecretKeyRef is { Optional: true } optional && !secrets.ContainsKey(optional.Key))
            {
                continue;
            }

            args.AddRange(["-e", $"{env.Name}={env.Value ?? secrets[env.ValueFrom.SecretKeyRef.Key]}"]);
        }

        if (container.Command is { Count: > 0 } command)
        {
            args.AddRange(["--entrypoint", JsonSerializer.Serialize(command)]);
        }

        return [.. args, image, .. container.Args ?? []];
    }
}
