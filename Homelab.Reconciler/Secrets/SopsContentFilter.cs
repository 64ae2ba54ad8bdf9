using System.Text;
using System.Text.Json.Nodes;
using Homelab.Kustomize;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;

namespace Homelab.Reconciler.Secrets;

/// <summary>
/// Decrypts SOPS files in memory as one build reads them, so kustomize's transformers see plaintext objects: a resource
/// file whose YAML (or JSON) carries a top-level <c>sops</c> block, decrypted as the sops CLI does (a multi-document file
/// is one tree), and a <c>secretGenerator</c> source encrypted in its format, picked by extension as sops and Flux pick it
/// (<c>.env</c> dotenv, <c>.yaml</c>/<c>.yml</c>, <c>.json</c>, anything else sops' binary format). A file that cannot be
/// decrypted is refused with the error's kind, never a value. ConfigMap generator sources are left alone, as in Flux.
/// </summary>
/// <param name="keys">The age identities, loaded once, when the first encrypted file is read.</param>
/// <param name="limits">The build's limits, for reading a file to see whether it carries sops metadata.</param>
internal sealed class SopsContentFilter(Func<SopsResult<IReadOnlyList<AgeIdentity>>> keys, BuildLimits limits) : IFileContentFilter
{
    /// <summary>Every SOPS value holds this; a file without it is no SOPS file, and is not parsed twice.</summary>
    private static readonly byte[] Marker = "ENC[AES256_GCM,"u8.ToArray();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SopsResult<IReadOnlyList<AgeIdentity>>? _identities;

    /// <summary>
    /// Files whose objects came out decrypted: resource files, and the kustomizations whose <c>secretGenerator</c> read a
    /// decrypted source (a generated object's origin), relative to the repository root.
    /// </summary>
    public HashSet<string> DecryptedOrigins { get; } = new(StringComparer.Ordinal);

    /// <summary>How many files were decrypted.</summary>
    public int DecryptedFiles { get; private set; }

    public FileContentResult Filter(string path, FileRole role, string referencedBy, ReadOnlyMemory<byte> content)
    {
        if (role is FileRole.ConfigMapGeneratorFile or FileRole.ConfigMapGeneratorEnv || content.Span.IndexOf(Marker) < 0)
        {
            return FileContentResult.Unchanged;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(content.Span);
        }
        catch (DecoderFallbackException)
        {
            return FileContentResult.Unchanged; // Not text, so no SOPS file: the builder reads it as it does any other.
        }

        var decrypt = role == FileRole.Resource ? DecryptResource(path, text) : DecryptSource(path, text);
        if (decrypt is null)
        {
            return FileContentResult.Unchanged;
        }

        if (Unusable() is { } refusal)
        {
            return FileContentResult.Refused(refusal);
        }

        var decrypted = decrypt(_identities!.Value!);
        if (!decrypted.Succeeded)
        {
            return FileContentResult.Refused($"cannot be decrypted: {decrypted.Error!.Kind}: {decrypted.Error.Message}");
        }

        DecryptedFiles++;
        DecryptedOrigins.Add(role == FileRole.Resource ? path : referencedBy);
        return FileContentResult.Replaced(decrypted.Value!);
    }

    /// <summary>A resource file with a document carrying a top-level sops block, decrypted as a whole; null when there is none.</summary>
    private Func<IReadOnlyList<AgeIdentity>, SopsResult<byte[]>>? DecryptResource(string path, string text)
    {
        if (!HasSopsBlock(path, text))
        {
            return null;
        }

        // kustomize reads every resource file as YAML; sops picks JSON by the extension.
        var name = SopsFile.FormatOf(path) == SopsFormat.Json ? path : $"{path}.yaml";
        return identities => Text(SopsFile.Decrypt(name, text, identities));
    }

    /// <summary>A generator source encrypted in the format its extension names; null when it is not encrypted.</summary>
    private Func<IReadOnlyList<AgeIdentity>, SopsResult<byte[]>>? DecryptSource(string path, string text)
    {
        switch (SopsFile.FormatOf(path))
        {
            case SopsFormat.Dotenv:
                if (!text.Split('\n').Any(l => l.StartsWith("sops_mac=ENC[", StringComparison.Ordinal)))
                {
                    return null;
                }

                break;
            case SopsFormat.Yaml or SopsFormat.Json:
                if (!HasSopsBlock(path, text))
                {
                    return null;
                }

                break;
            case null when Path.GetExtension(path).Equals(".ini", StringComparison.OrdinalIgnoreCase):
                return text.Split('\n').Any(l => l.TrimEnd('\r') == "[sops]")
                    ? _ => new(null, new SopsError(SopsErrorKind.Unsupported, path, "sops' INI format is not supported: encrypt the file as dotenv (.env), YAML or JSON"))
                    : null;
            case null:
                // sops' binary format: a JSON object of the encrypted data and the sops block.
                if (!IsBinaryEnvelope(text))
                {
                    return null;
                }

                return identities => SopsFile.DecryptBinary(path, text, identities);
        }

        return identities => Text(SopsFile.Decrypt(path, text, identities));
    }

    /// <summary>Whether a document of <paramref name="text"/> is a mapping with a top-level <c>sops</c> mapping.</summary>
    private bool HasSopsBlock(string path, string text)
    {
        try
        {
            return new YamlToJson(path, limits).ReadDocuments(text).Any(d => d is JsonObject document && document["sops"] is JsonObject);
        }
        catch (BuildException)
        {
            return false; // Not YAML the builder reads: it says why itself.
        }
    }

    private static bool IsBinaryEnvelope(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject { Count: 2 } envelope && envelope["data"] is JsonValue && envelope["sops"] is JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>Why the identities cannot decrypt anything (none found, or a key source unusable); null when they can. Loaded once per build.</summary>
    private string? Unusable()
    {
        _identities ??= keys();
        return !_identities.Succeeded ? $"is encrypted, but the age key cannot be used: {_identities.Error}"
            : _identities.Value!.Count == 0 ? $"is encrypted, but there is no age key: set Reconciler:AgeKeyFile (bootstrap --age-key-file creates Secret homelab-age-key), {SopsAgeKeys.KeyFileVariable} or {SopsAgeKeys.KeyVariable}"
            : null;
    }

    private static SopsResult<byte[]> Text(SopsResult<string> result) =>
        result.Succeeded ? new(Encoding.UTF8.GetBytes(result.Value!), null) : new(null, result.Error);
}
