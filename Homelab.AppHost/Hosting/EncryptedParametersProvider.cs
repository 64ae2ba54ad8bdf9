using Microsoft.Extensions.Configuration;

namespace Homelab.AppHost.Hosting;

/// <summary>Exposes each decrypted value as <c>Parameters:&lt;name&gt;</c>, where Aspire resolves a parameter from.</summary>
internal sealed class EncryptedParametersProvider(IReadOnlyDictionary<string, string> values) : ConfigurationProvider
{
    public override void Load() =>
        Data = values.ToDictionary(v => $"{EncryptedParameters.Section}:{v.Key}", v => (string?)v.Value, StringComparer.OrdinalIgnoreCase);
}
