using System.Globalization;
using Homelab.Defaults;
using Homelab.Navidrome;
using k8s.Models;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// The container that closes Navidrome's first-come-first-admin window in the cluster.
/// <para>
/// Why it works: a pod is Ready only when ALL its containers are ready, and only Ready pods are a
/// Service's endpoints (the NodePort, the Tailscale proxy). This container's readiness answers 503
/// until <c>/auth/createAdmin</c> returned 200 (created with the Secret's credentials) or 403 (a user
/// exists; since nothing outside the pod could reach Navidrome before, that user is the owner's). So
/// nothing outside the pod reaches Navidrome before the owner's admin exists. The Service never sets
/// <c>publishNotReadyAddresses</c>. Residual: during the first seconds another pod of the cluster could
/// reach Navidrome's pod IP directly (its NetworkPolicy lets port 4533 in from anywhere, as the Service
/// needs); that needs a foothold inside the cluster.
/// </para>
/// </summary>
internal static class FirstAdminSidecar
{
    public const string ContainerName = "admin";

    /// <summary>The sidecar's readiness port (loopback is not enough: the kubelet probes the pod IP).</summary>
    public const int ReadyPort = 4599;

    public const string ReadyPortName = "admin-ready";

    private const long ImageUser = ReconcilerManifests.ImageUser;

    public static V1Container Create(PublishSettings settings, int navidromePort)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var port = ReadyPort.ToString(CultureInfo.InvariantCulture);
        return new V1Container
        {
            Name = ContainerName,
            Image = settings.ReconcilerImage,
            // Built on the machine running the cluster, like the reconciler's: never pull a local tag.
            ImagePullPolicy = "IfNotPresent",
            // The pod shares one network namespace: Navidrome is on loopback. No credential in args.
            Args = ["navidrome-first-admin", "--url", $"http://127.0.0.1:{navidromePort.ToString(CultureInfo.InvariantCulture)}", "--ready-port", port],
            Env =
            [
                // Read-only root: no diagnostics socket in /tmp.
                new V1EnvVar { Name = "DOTNET_EnableDiagnostics", Value = "0" },
                SecretEnv(FirstAdminSecret.UserVariable, FirstAdminSecret.UserKey),
                SecretEnv(FirstAdminSecret.PasswordVariable, FirstAdminSecret.PasswordKey),
            ],
            Ports = [new V1ContainerPort { Name = ReadyPortName, ContainerPort = ReadyPort, Protocol = "TCP" }],
            ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = ProbePaths.Ready, Port = ReadyPortName }, PeriodSeconds = 2, TimeoutSeconds = 2, FailureThreshold = 1 },
            LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = ProbePaths.Alive, Port = ReadyPortName }, InitialDelaySeconds = 10, PeriodSeconds = 30, TimeoutSeconds = 2, FailureThreshold = 3 },
            // A console process (no web host): 44 MiB resident measured, idle after the first seconds.
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("5m"), ["memory"] = new("48Mi") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("200m"), ["memory"] = new("96Mi") },
            },
            SecurityContext = new V1SecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = ImageUser,
                RunAsGroup = ImageUser,
                ReadOnlyRootFilesystem = true,
                AllowPrivilegeEscalation = false,
                Privileged = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
        };
    }

    private static V1EnvVar SecretEnv(string name, string key) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = FirstAdminSecret.Name, Key = key } } };
}
