namespace Homelab.Secrets.Age;

/// <summary>
/// BIP 173 Bech32 (not Bech32m), as age writes its keys: without BIP 173's 90-character limit, and all upper or all
/// lower case (age upper-cases identities).
/// </summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    /// <summary>Lower-case Bech32 of <paramref name="data"/> under <paramref name="hrp"/>.</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> data)
    {
        hrp = hrp.ToLowerInvariant();
        var values = ConvertBits(data, 8, 5, pad: true)!;
        var checksum = Checksum(hrp, values);
        var text = new System.Text.StringBuilder(hrp.Length + 1 + values.Count + 6).Append(hrp).Append('1');
        foreach (var value in values.Concat(checksum))
        {
            text.Append(Charset[value]);
        }

        return text.ToString();
    }

    /// <summary>The human-readable part (lower case) and the data of <paramref name="text"/>; false when it is no valid Bech32.</summary>
    public static bool TryDecode(string text, out string hrp, out byte[] data)
    {
        hrp = string.Empty;
        data = [];
        if (text.Any(c => c is < '!' or > '~') || (text.Any(char.IsUpper) && text.Any(char.IsLower)))
        {
            return false;
        }

        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 1 || lower.Length - separator - 1 < 6)
        {
            return false;
        }

        var values = new List<byte>(lower.Length - separator - 1);
        foreach (var c in lower.AsSpan(separator + 1))
        {
            var index = Charset.IndexOf(c, StringComparison.Ordinal);
            if (index < 0)
            {
                return false;
            }

            values.Add((byte)index);
        }

        var part = lower[..separator];
        if (Polymod(Expand(part).Concat(values)) != 1)
        {
            return false;
        }

        var bytes = ConvertBits(values.Take(values.Count - 6).ToArray(), 5, 8, pad: false);
        if (bytes is null)
        {
            return false;
        }

        hrp = part;
        data = [.. bytes];
        return true;
    }

    private static byte[] Checksum(string hrp, List<byte> values)
    {
        var polymod = Polymod(Expand(hrp).Concat(values).Concat(new byte[6])) ^ 1;
        var checksum = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            checksum[i] = (byte)((polymod >> (5 * (5 - i))) & 31);
        }

        return checksum;
    }

    private static uint Polymod(IEnumerable<byte> values)
    {
        uint chk = 1;
        foreach (var value in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ value;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    chk ^= Generator[i];
                }
            }
        }

        return chk;
    }

    private static IEnumerable<byte> Expand(string hrp) =>
        hrp.Select(c => (byte)(c >> 5)).Append((byte)0).Concat(hrp.Select(c => (byte)(c & 31)));

    /// <summary>Regroups bits; without padding, leftover bits must be fewer than <paramref name="from"/> and zero (else null).</summary>
    private static List<byte>? ConvertBits(ReadOnlySpan<byte> data, int from, int to, bool pad)
    {
        var accumulator = 0;
        var bits = 0;
        var max = (1 << to) - 1;
        var result = new List<byte>(data.Length * from / to + 1);
        foreach (var value in data)
        {
            accumulator = (accumulator << from) | value;
            bits += from;
            while (bits >= to)
            {
                bits -= to;
                result.Add((byte)((accumulator >> bits) & max));
            }
        }

        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((accumulator << (to - bits)) & max));
            }
        }
        else if (bits >= from || ((accumulator << (to - bits)) & max) != 0)
        {
            return null;
        }

        return result;
    }
}
