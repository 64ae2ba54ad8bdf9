namespace Homelab.Tests.Image;

/// <summary>
/// A test of the reconciler image. Skipped, with the reason, only outside CI and only where podman is
/// not installed; under CI (<c>CI=true</c>) it never skips, so a missing podman fails it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ImageFactAttribute : FactAttribute
{
    public ImageFactAttribute()
    {
        if (ReconcilerImageFixture.SkipReason() is { } reason)
        {
            Skip = reason;
        }
    }
}
