using System.Text.Json.Nodes;
using Homelab.Kustomize;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;
using Microsoft.Extensions.Logging;

namespace Homelab.Reconciler.Secrets;

/// <summary>
/// Decrypts, in memory, every rendered object that carries SOPS metadata (a SOPS-encrypted manifest passes through
/// kustomize as an object with a <c>sops</c> field), as Flux's kustomize-controller does; the <c>sops</c> field is gone
/// from what is applied. One object that cannot be decrypted fails the whole revision (<see cref="DecryptionException"/>),
/// so nothing of it is applied. Secrets committed in plaintext get one warning per object and revision.
/// </summary>
/// <param name="keys">The age identities, read when a revision holds an encrypted object.</param>
/// <param name="logger">Where the plaintext warnings go.</param>
internal sealed class ManifestDecryptor(Func<SopsResult<IReadOnlyList<AgeIdentity>>> keys, ILogger logger)
{
    /// <summary>The field SOPS keeps its metadata (recipients, MAC) under.</summary>
    private const string SopsKey = "sops";

    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private string? _warnedRevision;

    /// <summary>The objects of <paramref name="revision"/> as they are applied: decrypted, without <c>sops</c> metadata.</summary>
    /// <exception cref="DecryptionException">An encrypted object could not be decrypted (or no key was found).</exception>
    public IReadOnlyList<JsonObject> Decrypt(IReadOnlyList<RenderedObject> rendered, string revision)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        if (_warnedRevision != revision)
        {
            _warnedRevision = revision;
            _warned.Clear();
        }

        IReadOnlyList<AgeIdentity>? identities = null;
        var objects = new List<JsonObject>(rendered.Count);
        foreach (var (content, origin) in rendered)
        {
            if (content[SopsKey] is null)
            {
                WarnIfPlaintextSecret(content, origin);
                objects.Add(content);
                continue;
            }

            identities ??= Identities(origin, content);
            // The JSON store decrypts the object as kustomize wrote it; the name only picks the format.
            var result = SopsFile.Decrypt("object.json", content.ToJsonString(), identities);
            if (!result.Succeeded)
            {
                throw new DecryptionException($"{Describe(origin, content)} cannot be decrypted: {result.Error!.Kind}: {result.Error.Message}");
            }

            objects.Add(JsonNode.Parse(result.Value!) as JsonObject ?? throw new DecryptionException($"{Describe(origin, content)} does not decrypt to an object"));
        }

        return objects;
    }

    private IReadOnlyList<AgeIdentity> Identities(string origin, JsonObject content)
    {
        var loaded = keys();
        if (!loaded.Succeeded)
        {
            throw new DecryptionException($"{Describe(origin, content)} is encrypted, but the age key cannot be used: {loaded.Error}");
        }

        return loaded.Value!.Count > 0
            ? loaded.Value
            : throw new DecryptionException($"{Describe(origin, content)} is encrypted, but there is no age key: set Reconciler:AgeKeyFile (bootstrap --age-key-file creates Secret homelab-age-key), {SopsAgeKeys.KeyFileVariable} or {SopsAgeKeys.KeyVariable}");
    }

    private void WarnIfPlaintextSecret(JsonObject content, string origin)
    {
        if ((string?)content["kind"] != "Secret" || (string?)content["apiVersion"] != "v1"
            || !(content["data"] is JsonObject { Count: > 0 } || content["stringData"] is JsonObject { Count: > 0 }))
        {
            return;
        }

        var name = Name(content);
        if (_warned.Add(name))
        {
            logger.LogWarning("Secret {Secret} is committed in plaintext: encrypt it with `Homelab.Reconciler secrets encrypt {File}`", name, origin);
        }
    }

    private static string Describe(string origin, JsonObject content) => $"{origin} ({content["kind"]} {Name(content)})";

    private static string Name(JsonObject content) =>
        content["metadata"] is JsonObject metadata
            ? (string?)metadata["namespace"] is { Length: > 0 } ns ? $"{ns}/{metadata["name"]}" : $"{metadata["name"]}"
            : "(no metadata)";
}
