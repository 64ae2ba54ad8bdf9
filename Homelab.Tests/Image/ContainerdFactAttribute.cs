namespace Homelab.Tests.Image;

/// <summary>
/// A test that builds the image (podman) and imports it into a private containerd. Skipped, with the
/// reason, only where podman (outside CI, as <see cref="ImageFactAttribute"/>) or containerd cannot run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContainerdFactAttribute : FactAttribute
{
    public ContainerdFactAttribute()
    {
        if ((ReconcilerImageFixture.SkipReason() ?? Containerd.UnavailableReason()) is { } reason)
        {
            Skip = reason;
        }
    }
}
