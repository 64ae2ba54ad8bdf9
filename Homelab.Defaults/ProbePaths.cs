namespace Homelab.Defaults;

/// <summary>
/// The HTTP probe paths every service of ours answers (ServiceDefaults maps them), and the published
/// Deployments probe: one place, so that a probe never points at a path nobody serves.
/// </summary>
public static class ProbePaths
{
    /// <summary>Every health check: what the dashboard shows.</summary>
    public const string Health = "/health";

    /// <summary>Liveness: fails only when the process cannot recover by itself, so the kubelet restarts it.</summary>
    public const string Alive = "/alive";

    /// <summary>Readiness: fails while the service cannot do its work (the Service then sends it no traffic).</summary>
    public const string Ready = "/ready";
}
