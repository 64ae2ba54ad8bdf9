using Aspire.Hosting.Publishing;

namespace Homelab.AppHost.Hosting;

/// <summary>
/// A secret parameter's generator that also keeps what it generates in the encrypted file (<see cref="GeneratedParameterStore"/>).
/// Aspire calls a default only when no configuration source has the value; in run mode it wraps this one with its
/// user-secrets persistence (<c>persist: true</c>), which calls it only when user secrets lack the value too. So this runs
/// exactly when a value is new, in run and publish alike.
/// </summary>
internal sealed class EncryptedParameterDefault(string name, ParameterDefault generator, GeneratedParameterStore store) : ParameterDefault
{
    public override string GetDefaultValue()
    {
        var value = generator.GetDefaultValue();
        store.Keep(name, value);
        return value;
    }

    public override void WriteToManifest(ManifestPublishingContext context) => generator.WriteToManifest(context);
}
