using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;

namespace Homelab.AppHost.Hosting;

/// <summary>
/// What <see cref="EncryptedParameters.Load"/> found: the decrypted values, or why the file is not used (absent, or no age
/// key: user secrets apply), or the error that must stop the AppHost (a file it cannot decrypt is never skipped). With the
/// values come the identities that opened the file, which can also add a value to it.
/// </summary>
internal sealed record EncryptedParametersLoad(IReadOnlyDictionary<string, string>? Values, string? SkippedBecause, SopsError? Error, IReadOnlyList<AgeIdentity>? Identities = null);
