using k8s.Models;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// The Pod Security Standard a namespace enforces, with audit and warn at the same level, for the
/// latest version of the standard. Every published container already drops all capabilities, never
/// escalates, has RuntimeDefault seccomp and no host namespace, port or path (host folders are
/// PersistentVolumes): what varies is whether a pod is made to run as non-root (a model resource
/// without a <see cref="RunAsAnnotation"/> runs as its image's user, possibly root).
/// </summary>
internal static class PodSecurity
{
    public const string Restricted = "restricted";
    public const string Baseline = "baseline";

    /// <summary>"restricted" when every pod runs as non-root, else "baseline".</summary>
    public static string LevelFor(IEnumerable<V1PodSpec> pods) =>
        pods.All(p => p.SecurityContext?.RunAsNonRoot == true) ? Restricted : Baseline;

    public static Dictionary<string, string> Labels(string level) => new(StringComparer.Ordinal)
    {
        ["pod-security.kubernetes.io/enforce"] = level,
        ["pod-security.kubernetes.io/enforce-version"] = "latest",
        ["pod-security.kubernetes.io/audit"] = level,
        ["pod-security.kubernetes.io/audit-version"] = "latest",
        ["pod-security.kubernetes.io/warn"] = level,
        ["pod-security.kubernetes.io/warn-version"] = "latest",
    };
}
