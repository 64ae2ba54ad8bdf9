using System.Security.Cryptography;

namespace Homelab.Secrets.Age;

/// <summary>An X25519 age recipient: <c>age1…</c>, the public key a file is encrypted to.</summary>
public sealed class AgeRecipient
{
    internal const string StanzaType = "X25519";
    internal static readonly byte[] WrapInfo = "age-encryption.org/v1/X25519"u8.ToArray();
    private const string Hrp = "age";

    internal AgeRecipient(byte[] publicKey)
    {
        PublicKey = publicKey;
        Text = Bech32.Encode(Hrp, publicKey);
    }

    /// <summary>The 32-byte X25519 public key.</summary>
    internal byte[] PublicKey { get; }

    /// <summary>The <c>age1…</c> form.</summary>
    public string Text { get; }

    /// <summary>Parses <c>age1…</c>; SSH keys and plugin recipients are <see cref="AgeErrorKind.Unsupported"/>, anything else Malformed.</summary>
    public static bool TryParse(string text, out AgeRecipient? recipient, out AgeError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        recipient = null;
        error = null;
        text = text.Trim();
        if (text.StartsWith("ssh-", StringComparison.Ordinal))
        {
            error = new AgeError(AgeErrorKind.Unsupported, "SSH recipients are not supported: use an age1… X25519 recipient");
            return false;
        }

        if (!Bech32.TryDecode(text, out var hrp, out var key) || !hrp.StartsWith(Hrp, StringComparison.Ordinal))
        {
            error = new AgeError(AgeErrorKind.Malformed, $"'{text}' is not an age recipient (age1…)");
            return false;
        }

        if (hrp != Hrp)
        {
            error = new AgeError(AgeErrorKind.Unsupported, $"plugin recipients ({hrp}1…) are not supported: use an age1… X25519 recipient");
            return false;
        }

        if (key.Length != X25519.KeySize)
        {
            error = new AgeError(AgeErrorKind.Malformed, $"'{text}' does not hold a 32-byte X25519 key");
            return false;
        }

        recipient = new AgeRecipient(key);
        return true;
    }

    /// <summary>Wraps <paramref name="fileKey"/> for this recipient: an ephemeral share, HKDF, ChaCha20-Poly1305 (age spec, X25519 recipient type).</summary>
    internal AgeStanza Wrap(byte[] fileKey)
    {
        var ephemeral = RandomNumberGenerator.GetBytes(X25519.KeySize);
        try
        {
            var share = X25519.PublicKey(ephemeral);
            // A recipient of low order gives all zeros: age refuses to encrypt to it.
            var shared = X25519.SharedSecret(ephemeral, PublicKey) ?? throw AgeFormatException.Malformed("the recipient is a low-order point");
            var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, [.. share, .. PublicKey], WrapInfo);
            var body = new byte[fileKey.Length + 16];
            using (var aead = new ChaCha20Poly1305(key))
            {
                aead.Encrypt(new byte[12], fileKey, body.AsSpan(0, fileKey.Length), body.AsSpan(fileKey.Length));
            }

            CryptographicOperations.ZeroMemory(shared);
            CryptographicOperations.ZeroMemory(key);
            return new AgeStanza(StanzaType, [AgeBase64.Encode(share)], body);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ephemeral);
        }
    }

    public override string ToString() => Text;
}
