using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// A small checker of the Pod Security Standards' rules (kubernetes.io/docs/concepts/security/pod-security-standards,
/// version "latest") over a pod spec: what the API server's PodSecurity admission would refuse, as one
/// line per violation. The fields our tree can set; no AppArmor, SELinux or sysctls (the tree sets none,
/// and a pod that set them is refused here as not checked).
/// </summary>
internal static class PodSecurityStandards
{
    private static readonly string[] BaselineCapabilities =
        ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

    public static IReadOnlyList<string> Violations(V1PodSpec pod, string level)
    {
        var violations = new List<string>();
        var containers = pod.Containers.Concat(pod.InitContainers ?? []).ToList();
        void Check(bool ok, string what)
        {
            if (!ok)
            {
                violations.Add(what);
            }
        }

        // Baseline.
        Check(pod.HostNetwork != true && pod.HostPID != true && pod.HostIPC != true, "host namespaces");
        Check((pod.Volumes ?? []).All(v => v.HostPath is null), "hostPath volumes");
        Check(pod.SecurityContext?.SeLinuxOptions is null && pod.SecurityContext?.Sysctls is null && pod.SecurityContext?.AppArmorProfile is null, "pod SELinux, sysctls or AppArmor (not checked here)");
        Check(pod.SecurityContext?.SeccompProfile?.Type != "Unconfined", "pod seccomp Unconfined");
        foreach (var c in containers)
        {
            Check(c.SecurityContext?.Privileged != true, $"{c.Name}: privileged");
            Check((c.SecurityContext?.Capabilities?.Add ?? []).All(BaselineCapabilities.Contains), $"{c.Name}: capabilities beyond baseline");
            Check((c.Ports ?? []).All(p => p.HostPort is null or 0), $"{c.Name}: hostPort");
            Check(c.SecurityContext?.ProcMount is null or "Default", $"{c.Name}: procMount");
            Check(c.SecurityContext?.SeccompProfile?.Type != "Unconfined", $"{c.Name}: seccomp Unconfined");
            Check(c.SecurityContext?.SeLinuxOptions is null && c.SecurityContext?.AppArmorProfile is null, $"{c.Name}: SELinux or AppArmor (not checked here)");
        }

        if (level == "baseline")
        {
            return violations;
        }

        // Restricted.
        string[] volumeTypes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
        Check((pod.Volumes ?? []).All(v => VolumeType(v) is { } type && volumeTypes.Contains(type)), "volume types beyond restricted");
        Check(pod.SecurityContext?.RunAsUser != 0, "pod runAsUser 0");
        foreach (var c in containers)
        {
            Check(c.SecurityContext?.AllowPrivilegeEscalation == false, $"{c.Name}: allowPrivilegeEscalation not false");
            Check((c.SecurityContext?.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot) == true, $"{c.Name}: runAsNonRoot not true");
            Check(c.SecurityContext?.RunAsUser != 0, $"{c.Name}: runAsUser 0");
            Check((c.SecurityContext?.SeccompProfile?.Type ?? pod.SecurityContext?.SeccompProfile?.Type) is "RuntimeDefault" or "Localhost", $"{c.Name}: seccomp not RuntimeDefault or Localhost");
            Check(c.SecurityContext?.Capabilities?.Drop?.Contains("ALL") == true, $"{c.Name}: capabilities not dropping ALL");
            Check((c.SecurityContext?.Capabilities?.Add ?? []).All(a => a == "NET_BIND_SERVICE"), $"{c.Name}: capabilities added beyond NET_BIND_SERVICE");
        }

        return violations;
    }

    private static string? VolumeType(V1Volume volume) =>
        volume.ConfigMap is not null ? "configMap"
        : volume.Csi is not null ? "csi"
        : volume.DownwardAPI is not null ? "downwardAPI"
        : volume.EmptyDir is not null ? "emptyDir"
        : volume.Ephemeral is not null ? "ephemeral"
        : volume.PersistentVolumeClaim is not null ? "persistentVolumeClaim"
        : volume.Projected is not null ? "projected"
        : volume.Secret is not null ? "secret"
        : null;
}
