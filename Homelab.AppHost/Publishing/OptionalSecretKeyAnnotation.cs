namespace Homelab.AppHost.Publishing;

/// <summary>
/// On a secret parameter: in the cluster its <c>secretKeyRef</c> is optional, so a pod whose Secret was made before
/// the key existed still starts (the variable is then unset, and the app must cope).
/// </summary>
internal sealed record OptionalSecretKeyAnnotation : IResourceAnnotation;
