using Microsoft.Extensions.Configuration;

namespace Homelab.AppHost.Hosting;

/// <summary>The decrypted parameters as a configuration source: added after user secrets, so its values win.</summary>
internal sealed class EncryptedParametersSource(IReadOnlyDictionary<string, string> values) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new EncryptedParametersProvider(values);
}
