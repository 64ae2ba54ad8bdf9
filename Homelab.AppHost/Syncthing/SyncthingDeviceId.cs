using System.Security.Cryptography;

namespace Homelab.AppHost.Syncthing;

/// <summary>
/// Syncthing's device ID of a certificate, as its GUI and <c>syncthing --device-id</c> show it: the SHA-256 of the
/// certificate's DER in base32 (RFC 4648, no padding), each quarter followed by a Luhn mod 32 check character,
/// in groups of seven joined by dashes.
/// </summary>
internal static class SyncthingDeviceId
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const int Quarter = 13;
    private const int Group = 7;

    public static string FromCertificate(ReadOnlySpan<byte> certificateDer)
    {
        var base32 = Base32(SHA256.HashData(certificateDer));
        var withChecks = new System.Text.StringBuilder(56);
        for (var i = 0; i < 4; i++)
        {
            var quarter = base32.Substring(i * Quarter, Quarter);
            withChecks.Append(quarter).Append(LuhnCheck(quarter));
        }

        var text = withChecks.ToString();
        return string.Join('-', Enumerable.Range(0, text.Length / Group).Select(g => text.Substring(g * Group, Group)));
    }

    /// <summary>Base32 without padding: 32 bytes give 52 characters.</summary>
    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        var text = new System.Text.StringBuilder((bytes.Length * 8 + 4) / 5);
        var buffer = 0;
        var bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text.Append(Alphabet[(buffer >> bits) & 31]);
            }
        }

        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }

    /// <summary>
    /// Luhn mod N over the base32 alphabet, as Syncthing computes it: the factor alternates 1, 2 from the
    /// first character (not from the right as textbook Luhn), so the check differs from the textbook one.
    /// </summary>
    private static char LuhnCheck(string quarter)
    {
        const int n = 32;
        var factor = 1;
        var sum = 0;
        foreach (var c in quarter)
        {
            var addend = factor * Alphabet.IndexOf(c, StringComparison.Ordinal);
            factor = factor == 1 ? 2 : 1;
            sum += (addend / n) + (addend % n);
        }

        return Alphabet[(n - (sum % n)) % n];
    }
}
