using Aspire.Hosting.Publishing;

namespace Homelab.AppHost.Syncthing;

/// <summary>
/// Generates Syncthing's identity (<see cref="SyncthingIdentity.Generate"/>) when the user has none. With
/// <c>persist: true</c> Aspire calls it once and keeps the value in the user secrets, like the passwords; the
/// certificate and key come from one call, so they always belong together.
/// </summary>
internal sealed class SyncthingIdentityDefault(TimeProvider time) : ParameterDefault
{
    public override string GetDefaultValue() => SyncthingIdentity.Generate(time).Value;

    /// <summary>Aspire's manifest has no form for a generated certificate: it says what would be generated, never a value.</summary>
    public override void WriteToManifest(ManifestPublishingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Writer.WriteStartObject("generate");
        context.Writer.WriteString("kind", "syncthing-identity");
        context.Writer.WriteEndObject();
    }
}
