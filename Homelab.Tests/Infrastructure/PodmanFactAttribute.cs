namespace Homelab.Tests.Infrastructure;

/// <summary>
/// A test that runs real containers under podman. Skipped, with the reason, only where podman or the
/// local Syncthing image is missing; <c>.ci/run</c> installs both, and under CI (<c>CI=true</c>) they
/// never skip: a missing podman fails them instead of hiding them.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PodmanFactAttribute : FactAttribute
{
    public PodmanFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true" && Podman.UnavailableReason() is { } reason)
        {
            Skip = reason;
        }
    }
}
