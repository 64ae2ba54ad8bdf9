using System.Security.Cryptography;

namespace Homelab.Secrets.Age;

/// <summary>An X25519 age identity: <c>AGE-SECRET-KEY-1…</c>. <see cref="ToString"/> never shows the secret.</summary>
public sealed class AgeIdentity
{
    private const string Hrp = "age-secret-key-";
    private readonly byte[] scalar;

    private AgeIdentity(byte[] scalar)
    {
        this.scalar = scalar;
        Recipient = new AgeRecipient(X25519.PublicKey(scalar));
    }

    /// <summary>The recipient (public key) of this identity.</summary>
    public AgeRecipient Recipient { get; }

    /// <summary>A new random identity.</summary>
    public static AgeIdentity Generate() => new(RandomNumberGenerator.GetBytes(X25519.KeySize));

    /// <summary>The <c>AGE-SECRET-KEY-1…</c> form: a secret, for the key file only.</summary>
    public string SecretText() => Bech32.Encode(Hrp, scalar).ToUpperInvariant();

    /// <summary>Parses one <c>AGE-SECRET-KEY-1…</c> line; plugin and SSH identities are <see cref="AgeErrorKind.Unsupported"/>.</summary>
    public static bool TryParse(string text, out AgeIdentity? identity, out AgeError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        identity = null;
        error = null;
        text = text.Trim();
        if (text.StartsWith("AGE-PLUGIN-", StringComparison.Ordinal) || text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            error = new AgeError(AgeErrorKind.Unsupported, "plugin and SSH identities are not supported: use an AGE-SECRET-KEY-1… identity");
            return false;
        }

        // The message never repeats the text: it may be a mistyped secret.
        if (!Bech32.TryDecode(text, out var hrp, out var key) || hrp != Hrp || key.Length != X25519.KeySize)
        {
            error = new AgeError(AgeErrorKind.Malformed, "not an age identity (AGE-SECRET-KEY-1…)");
            return false;
        }

        identity = new AgeIdentity(key);
        return true;
    }

    /// <summary>
    /// Every identity of an identities file (age-keygen's output, sops' keys.txt): one per line, <c>#</c> comments and
    /// blank lines skipped. The first bad line fails the whole text, naming its line number only.
    /// </summary>
    public static bool TryParseAll(string text, out IReadOnlyList<AgeIdentity> identities, out AgeError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<AgeIdentity>();
        identities = found;
        error = null;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!TryParse(line, out var identity, out var lineError))
            {
                error = lineError! with { Message = $"line {number}: {lineError!.Message}" };
                return false;
            }

            found.Add(identity!);
        }

        if (found.Count == 0)
        {
            error = new AgeError(AgeErrorKind.Malformed, "no identity (AGE-SECRET-KEY-1…) found");
            return false;
        }

        return true;
    }

    /// <summary>The file key from an X25519 stanza made for this identity, or null when it was made for another.</summary>
    internal byte[]? Unwrap(AgeStanza stanza)
    {
        if (stanza.Arguments.Count != 1 || stanza.Body.Length != 32)
        {
            throw AgeFormatException.Malformed("an X25519 stanza must have one argument and a 32-byte body");
        }

        var share = AgeBase64.Decode(stanza.Arguments[0]);
        if (share.Length != X25519.KeySize)
        {
            throw AgeFormatException.Malformed("an X25519 stanza's share must be 32 bytes");
        }

        var shared = X25519.SharedSecret(scalar, share) ?? throw AgeFormatException.Malformed("an X25519 stanza's share is a low-order point");
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, [.. share, .. Recipient.PublicKey], AgeRecipient.WrapInfo);
        var fileKey = new byte[16];
        try
        {
            using var aead = new ChaCha20Poly1305(key);
            aead.Decrypt(new byte[12], stanza.Body.AsSpan(0, 16), stanza.Body.AsSpan(16), fileKey);
            return fileKey;
        }
        catch (CryptographicException)
        {
            // Not ours: another recipient's stanza.
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public override string ToString() => $"age identity for {Recipient.Text}";
}
