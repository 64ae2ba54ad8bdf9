using System.Security.Cryptography;
using System.Text;

namespace Homelab.Secrets.Age;

/// <summary>
/// age v1 files (C2SP age spec, the format of age 1.x): encrypt to X25519 recipients, decrypt with X25519 identities,
/// binary or ASCII-armored. Everything in memory; failures are <see cref="AgeError"/> values, never exceptions.
/// </summary>
public static class AgeFile
{
    private const int FileKeySize = 16;

    /// <summary>Encrypts <paramref name="plaintext"/> to every one of <paramref name="recipients"/>; armored text or binary.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, IReadOnlyList<AgeRecipient> recipients, bool armor)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (recipients.Count == 0)
        {
            throw new ArgumentException("at least one recipient is needed", nameof(recipients));
        }

        var fileKey = RandomNumberGenerator.GetBytes(FileKeySize);
        try
        {
            var header = AgeHeader.Write([.. recipients.Select(r => r.Wrap(fileKey))], fileKey);
            byte[] binary = [.. header, .. AgePayload.Encrypt(fileKey, plaintext)];
            return armor ? Encoding.ASCII.GetBytes(AgeArmor.Armor(binary)) : binary;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }

    /// <summary>Decrypts an age file (armored or binary) with the first of <paramref name="identities"/> that opens a stanza.</summary>
    public static AgeDecryptResult Decrypt(ReadOnlySpan<byte> file, IReadOnlyList<AgeIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        try
        {
            var binary = AgeArmor.IsArmored(file) ? AgeArmor.Dearmor(file) : file.ToArray();
            var header = AgeHeader.Read(binary, out var length);
            var fileKey = Unwrap(header, identities);
            try
            {
                if (!header.Verify(fileKey))
                {
                    return new AgeDecryptResult(null, new AgeError(AgeErrorKind.Tampered, "the header MAC does not match: the file was changed"));
                }

                return new AgeDecryptResult(AgePayload.Decrypt(fileKey, binary.AsSpan(length)), null);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(fileKey);
            }
        }
        catch (AgeFormatException ex)
        {
            return new AgeDecryptResult(null, ex.Error);
        }
    }

    private static byte[] Unwrap(AgeHeader header, IReadOnlyList<AgeIdentity> identities)
    {
        if (header.Stanzas.Count == 0)
        {
            throw AgeFormatException.Malformed("the header has no recipient stanza");
        }

        foreach (var stanza in header.Stanzas.Where(s => s.Type == AgeRecipient.StanzaType))
        {
            foreach (var identity in identities)
            {
                if (identity.Unwrap(stanza) is { } fileKey)
                {
                    return fileKey;
                }
            }
        }

        // Stanzas of other types are skipped (age's "grease"), but a file with nothing else gets a clear reason.
        if (header.Stanzas.All(s => s.Type != AgeRecipient.StanzaType))
        {
            var types = string.Join(", ", header.Stanzas.Select(s => s.Type).Distinct());
            throw AgeFormatException.Unsupported($"the file is encrypted to {types} recipients only; supported: X25519 (age1…)"
                + (types.Contains("scrypt", StringComparison.Ordinal) ? " (passphrase files are not supported)" : string.Empty));
        }

        throw new AgeFormatException(new AgeError(AgeErrorKind.NoMatchingKey, $"none of the {identities.Count} identities matches the file's recipients"));
    }
}
