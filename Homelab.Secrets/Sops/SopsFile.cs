using System.Security.Cryptography;
using System.Text;
using Homelab.Secrets.Age;

namespace Homelab.Secrets.Sops;

/// <summary>
/// SOPS files with age recipients, in the format of sops 3.9 (<see cref="SopsMetadata.FormatVersion"/>): YAML, JSON and
/// dotenv. Everything happens in memory; failures are <see cref="SopsError"/> values naming the file, never holding a value.
/// </summary>
public static class SopsFile
{
    private const int DataKeySize = 32;

    /// <summary>The format of <paramref name="path"/> by its extension (.yaml/.yml, .json, .env), as the sops CLI picks it; null for others.</summary>
    public static SopsFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".yaml" or ".yml" => SopsFormat.Yaml,
        ".json" => SopsFormat.Json,
        ".env" => SopsFormat.Dotenv,
        _ => null,
    };

    /// <summary>Encrypts the plaintext <paramref name="text"/> of <paramref name="file"/> to the rule's recipients; the encrypted file's text.</summary>
    public static SopsResult<string> Encrypt(string file, string text, SopsCreationRule rule, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Guard(file, () =>
        {
            if (rule.Recipients.Count == 0)
            {
                throw new SopsException(SopsErrorKind.NoCreationRule, "the creation rule names no age recipient");
            }

            var format = Format(file);
            var documents = Read(format, text);
            if (documents.Any(d => d[SopsMetadata.Key] is not null))
            {
                throw new SopsException(SopsErrorKind.AlreadyEncrypted, "the file already has sops metadata");
            }

            var rules = rule.Rules.Normalized();
            var dataKey = RandomNumberGenerator.GetBytes(DataKeySize);
            try
            {
                var mac = SopsTree.Encrypt(documents, rules, dataKey);
                var lastModified = SopsMetadata.Rfc3339((time ?? TimeProvider.System).GetUtcNow());
                var metadata = new SopsMetadata(
                    [.. rule.Recipients.Select(r => new SopsAgeKey(r.Text, Encoding.ASCII.GetString(AgeFile.Encrypt(dataKey, [r], armor: true))))],
                    lastModified,
                    SopsValueCipher.Encrypt(mac, dataKey, lastModified),
                    rules,
                    SopsMetadata.FormatVersion);
                foreach (var document in documents)
                {
                    document.Entries.Add(new(SopsMetadata.Key, metadata.ToNode()));
                }

                return Write(format, documents);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
        });
    }

    /// <summary>Decrypts <paramref name="file"/>'s <paramref name="text"/> with the first identity that opens its data key; the plaintext in the same format, without metadata.</summary>
    public static SopsResult<string> Decrypt(string file, string text, IReadOnlyList<AgeIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        return Guard(file, () =>
        {
            var format = Format(file);
            return Write(format, DecryptDocuments(format, text, identities));
        });
    }

    /// <summary>
    /// Decrypts a file sops encrypted in its binary format (any file that is not YAML, JSON or dotenv: a JSON object of
    /// <c>data</c> and <c>sops</c>); the original bytes. Text only: content that is not UTF-8 fails the MAC.
    /// </summary>
    public static SopsResult<byte[]> DecryptBinary(string file, string text, IReadOnlyList<AgeIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        return Guard(file, () =>
        {
            var root = DecryptDocuments(SopsFormat.Json, text, identities).Single();
            return root.Entries is [{ Key: "data", Value: SopsScalar { Value: var data } }]
                ? data switch
                {
                    string value => Encoding.UTF8.GetBytes(value),
                    byte[] bytes => bytes,
                    _ => throw new SopsException(SopsErrorKind.Malformed, "a binary file's data is not a string"),
                }
                : throw new SopsException(SopsErrorKind.Malformed, "a binary file holds exactly one key, data, besides sops");
        });
    }

    /// <summary>
    /// Sets top-level text values of the encrypted <paramref name="file"/> (replacing a key it has, appending one it
    /// lacks) under the file's own data key, recipients and rules, as <c>sops set</c> does: every other value keeps its
    /// ciphertext byte for byte, so Git shows only what changed; the MAC and <c>lastmodified</c> are renewed. The file
    /// must open with <paramref name="identities"/> and pass its MAC first.
    /// </summary>
    public static SopsResult<string> SetValues(string file, string text, IReadOnlyList<AgeIdentity> identities, IEnumerable<KeyValuePair<string, string>> values, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(values);
        return Guard(file, () =>
        {
            var format = Format(file);
            var (encrypted, metadata) = ReadEncrypted(format, text);
            var (plaintext, _) = ReadEncrypted(format, text);
            if (encrypted.Count != 1)
            {
                throw new SopsException(SopsErrorKind.Unsupported, "values are set in files of one document only");
            }

            var dataKey = DataKey(metadata, identities);
            try
            {
                VerifyMac(metadata, dataKey, SopsTree.Decrypt(plaintext, metadata.Rules, dataKey));
                foreach (var (key, value) in values)
                {
                    // Alone in a mapping, the value has the key path it has at the file's root.
                    var single = new SopsMapping([new(key, new SopsScalar(value))]);
                    SopsTree.Encrypt([single], metadata.Rules, dataKey);
                    Put(encrypted[0], key, single.Entries[0].Value);
                    Put(plaintext[0], key, new SopsScalar(value));
                }

                var lastModified = SopsMetadata.Rfc3339((time ?? TimeProvider.System).GetUtcNow());
                var renewed = metadata with { LastModified = lastModified, Mac = SopsValueCipher.Encrypt(SopsTree.Mac(plaintext, metadata.Rules), dataKey, lastModified) };
                encrypted[0].Entries.Add(new(SopsMetadata.Key, renewed.ToNode()));
                return Write(format, encrypted);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
        });

        static void Put(SopsMapping mapping, string key, SopsNode node)
        {
            var at = mapping.Entries.FindIndex(e => e.Key == key);
            if (at < 0)
            {
                mapping.Entries.Add(new(key, node));
            }
            else
            {
                mapping.Entries[at] = new(key, node);
            }
        }
    }

    /// <summary>The documents of <paramref name="text"/>, decrypted in place and without metadata, once the MAC over them all matches.</summary>
    private static IReadOnlyList<SopsMapping> DecryptDocuments(SopsFormat format, string text, IReadOnlyList<AgeIdentity> identities)
    {
        var (documents, metadata) = ReadEncrypted(format, text);
        var dataKey = DataKey(metadata, identities);
        try
        {
            VerifyMac(metadata, dataKey, SopsTree.Decrypt(documents, metadata.Rules, dataKey));
            return documents;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>The file's documents and its metadata, apart: sops keeps one block, repeated in every document.</summary>
    private static (IReadOnlyList<SopsMapping> Documents, SopsMetadata Metadata) ReadEncrypted(SopsFormat format, string text)
    {
        var documents = Read(format, text);
        if (documents[0][SopsMetadata.Key] is null && documents.Any(d => d[SopsMetadata.Key] is not null))
        {
            throw new SopsException(SopsErrorKind.Unsupported, "a later YAML document carries sops metadata but the first does not: sops encrypts a multi-document file as one; encrypt the whole file with sops, or keep encrypted documents in files of their own");
        }

        var metadata = SopsMetadata.Read(documents[0][SopsMetadata.Key]);
        for (var i = 1; i < documents.Count; i++)
        {
            // sops reads the first document's block; one that differs was encrypted on its own, and its values would not open.
            if (documents[i][SopsMetadata.Key] is not { } other || SopsMetadata.Read(other).Mac != metadata.Mac)
            {
                throw new SopsException(SopsErrorKind.Unsupported, $"YAML document {i + 1} does not carry the first document's sops metadata: sops encrypts a multi-document file as one; encrypt the whole file with sops, or keep separately encrypted documents in files of their own");
            }
        }

        foreach (var document in documents)
        {
            document.Entries.RemoveAll(e => e.Key == SopsMetadata.Key);
        }

        return (documents, metadata);
    }

    private static void VerifyMac(SopsMetadata metadata, byte[] dataKey, string computed)
    {
        var stored = SopsValueCipher.Decrypt(metadata.Mac, dataKey, metadata.MacAdditionalData);
        if (stored is not string storedMac || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(storedMac), Encoding.ASCII.GetBytes(computed)))
        {
            throw new SopsException(SopsErrorKind.MacMismatch, "the MAC does not match the values: a value was added, removed, moved or edited");
        }
    }

    /// <summary>The data key from the first age entry an identity opens; a tampered entry is reported over "no key".</summary>
    private static byte[] DataKey(SopsMetadata metadata, IReadOnlyList<AgeIdentity> identities)
    {
        AgeError? worst = null;
        foreach (var entry in metadata.Age)
        {
            var result = AgeFile.Decrypt(Encoding.ASCII.GetBytes(entry.Enc), identities);
            if (result.Succeeded)
            {
                return result.Plaintext!.Length == DataKeySize
                    ? result.Plaintext
                    : throw new SopsException(SopsErrorKind.Malformed, $"the data key for {entry.Recipient} is not {DataKeySize} bytes");
            }

            if (result.Error!.Kind != AgeErrorKind.NoMatchingKey)
            {
                worst = result.Error;
            }
        }

        throw worst switch
        {
            null => new SopsException(SopsErrorKind.NoMatchingKey, $"none of the {identities.Count} age identities matches the recipients ({string.Join(", ", metadata.Age.Select(a => a.Recipient))})"),
            { Kind: AgeErrorKind.Tampered } => new SopsException(SopsErrorKind.Tampered, $"an age-encrypted data key: {worst.Message}"),
            { Kind: AgeErrorKind.Unsupported } => new SopsException(SopsErrorKind.Unsupported, $"an age-encrypted data key: {worst.Message}"),
            _ => new SopsException(SopsErrorKind.Malformed, $"an age-encrypted data key: {worst.Message}"),
        };
    }

    private static SopsFormat Format(string file) =>
        FormatOf(file) ?? throw new SopsException(SopsErrorKind.Unsupported, "only .yaml, .yml, .json and .env files are supported (binary files are not)");

    /// <summary>The file's documents: several only in YAML.</summary>
    private static IReadOnlyList<SopsMapping> Read(SopsFormat format, string text) => format switch
    {
        SopsFormat.Json => [SopsJson.Read(text)],
        SopsFormat.Dotenv => [SopsDotenv.Read(text)],
        _ => SopsYaml.Read(text),
    };

    private static string Write(SopsFormat format, IReadOnlyList<SopsMapping> documents) => format switch
    {
        SopsFormat.Json => SopsJson.Write(documents.Single()),
        SopsFormat.Dotenv => SopsDotenv.Write(documents.Single()),
        _ => SopsYaml.Write(documents),
    };

    private static SopsResult<T> Guard<T>(string file, Func<T> action)
    {
        try
        {
            return new SopsResult<T>(action(), null);
        }
        catch (SopsException ex)
        {
            return new SopsResult<T>(default, new SopsError(ex.Kind, file, ex.Message));
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return new SopsResult<T>(default, new SopsError(SopsErrorKind.Malformed, file, "an encrypted_regex or unencrypted_regex took too long to match"));
        }
    }
}
