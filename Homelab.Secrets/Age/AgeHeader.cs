using System.Security.Cryptography;
using System.Text;

namespace Homelab.Secrets.Age;

/// <summary>
/// The age v1 header: the version line, recipient stanzas (bodies in base64 lines of 64 columns, the last one shorter),
/// and <c>--- MAC</c>, an HMAC-SHA256 keyed by HKDF(file key, "header") over everything up to and including <c>---</c>.
/// </summary>
internal sealed class AgeHeader(IReadOnlyList<AgeStanza> stanzas, byte[] mac, byte[] macInput)
{
    public const string VersionLine = "age-encryption.org/v1";
    private const int Columns = 64;

    public IReadOnlyList<AgeStanza> Stanzas { get; } = stanzas;

    /// <summary>The header bytes the MAC covers (through <c>---</c>).</summary>
    public byte[] MacInput { get; } = macInput;

    public byte[] Mac { get; } = mac;

    /// <summary>The header's bytes, through the MAC line's newline.</summary>
    public static byte[] Write(IReadOnlyList<AgeStanza> stanzas, byte[] fileKey)
    {
        var text = new StringBuilder(VersionLine).Append('\n');
        foreach (var stanza in stanzas)
        {
            text.Append("-> ").Append(stanza.Type);
            foreach (var argument in stanza.Arguments)
            {
                text.Append(' ').Append(argument);
            }

            text.Append('\n');
            var body = AgeBase64.Encode(stanza.Body);
            // The last line is always shorter than 64 columns: an empty one when the body fills its lines exactly.
            for (var i = 0; ; i += Columns)
            {
                var line = body.Substring(i, Math.Min(Columns, body.Length - i));
                text.Append(line).Append('\n');
                if (line.Length < Columns)
                {
                    break;
                }
            }
        }

        text.Append("---");
        var macInput = Encoding.ASCII.GetBytes(text.ToString());
        return [.. macInput, .. Encoding.ASCII.GetBytes($" {AgeBase64.Encode(ComputeMac(fileKey, macInput))}\n")];
    }

    /// <summary>Reads the header at the start of <paramref name="file"/>; <paramref name="length"/> is where the payload starts.</summary>
    public static AgeHeader Read(ReadOnlySpan<byte> file, out int length)
    {
        var position = 0;
        var version = Line(file, ref position);
        if (version != VersionLine)
        {
            throw version.StartsWith("age-encryption.org/", StringComparison.Ordinal)
                ? AgeFormatException.Unsupported($"age format version '{version}' is not supported (only v1)")
                : AgeFormatException.Malformed("not an age file (no age-encryption.org/v1 line)");
        }

        var stanzas = new List<AgeStanza>();
        while (true)
        {
            var start = position;
            var line = Line(file, ref position);
            if (line.StartsWith("--- ", StringComparison.Ordinal))
            {
                var mac = AgeBase64.Decode(line[4..]);
                if (mac.Length != 32)
                {
                    throw AgeFormatException.Malformed("the header MAC must be 32 bytes");
                }

                length = position;
                return new AgeHeader(stanzas, mac, file[..(start + 3)].ToArray());
            }

            if (!line.StartsWith("-> ", StringComparison.Ordinal))
            {
                throw AgeFormatException.Malformed("the header holds a line that is neither a stanza nor the MAC");
            }

            var words = line[3..].Split(' ');
            if (words.Any(w => w.Length == 0))
            {
                throw AgeFormatException.Malformed("a stanza has an empty argument");
            }

            var body = new StringBuilder();
            while (true)
            {
                var bodyLine = Line(file, ref position);
                if (bodyLine.Length > Columns)
                {
                    throw AgeFormatException.Malformed("a stanza body line is longer than 64 columns");
                }

                body.Append(bodyLine);
                if (bodyLine.Length < Columns)
                {
                    break;
                }
            }

            stanzas.Add(new AgeStanza(words[0], words[1..], AgeBase64.Decode(body.ToString())));
        }
    }

    /// <summary>Whether <see cref="Mac"/> is right for <paramref name="fileKey"/>: a wrong one means the header was changed.</summary>
    public bool Verify(byte[] fileKey) => CryptographicOperations.FixedTimeEquals(ComputeMac(fileKey, MacInput), Mac);

    private static byte[] ComputeMac(byte[] fileKey, byte[] macInput)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, [], "header"u8.ToArray());
        return HMACSHA256.HashData(key, macInput);
    }

    /// <summary>The next <c>\n</c>-terminated line (printable ASCII only).</summary>
    private static string Line(ReadOnlySpan<byte> file, ref int position)
    {
        var end = file[position..].IndexOf((byte)'\n');
        if (end < 0)
        {
            throw AgeFormatException.Malformed("the header ends before its MAC line");
        }

        var line = file.Slice(position, end);
        if (line.ContainsAnyExceptInRange((byte)' ', (byte)'~'))
        {
            throw AgeFormatException.Malformed("the header holds a byte that is not printable ASCII");
        }

        position += end + 1;
        return Encoding.ASCII.GetString(line);
    }
}
