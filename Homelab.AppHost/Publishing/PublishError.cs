namespace Homelab.AppHost.Publishing;

/// <summary>Everything that stopped a publish, each naming the resource and the reason, reported in one pass.</summary>
internal sealed class PublishException(IReadOnlyList<string> errors)
    : InvalidOperationException("Cannot publish Kubernetes manifests:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
