using System.Text;

namespace Homelab.Secrets.Age;

/// <summary>The ASCII armor: PEM-like, padded standard base64 in lines of 64 columns between BEGIN and END lines.</summary>
internal static class AgeArmor
{
    public const string Begin = "-----BEGIN AGE ENCRYPTED FILE-----";
    public const string End = "-----END AGE ENCRYPTED FILE-----";
    private const int Columns = 64;

    /// <summary>Whether <paramref name="file"/> is armored (leading whitespace allowed).</summary>
    public static bool IsArmored(ReadOnlySpan<byte> file) => file.TrimStart(" \t\r\n"u8).StartsWith(Encoding.ASCII.GetBytes(Begin));

    public static string Armor(ReadOnlySpan<byte> binary)
    {
        var base64 = Convert.ToBase64String(binary);
        var text = new StringBuilder(Begin).Append('\n');
        for (var i = 0; i < base64.Length; i += Columns)
        {
            text.Append(base64, i, Math.Min(Columns, base64.Length - i)).Append('\n');
        }

        return text.Append(End).Append('\n').ToString();
    }

    public static byte[] Dearmor(ReadOnlySpan<byte> file)
    {
        var text = Encoding.ASCII.GetString(file.Trim(" \t\r\n"u8));
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (lines.Length < 2 || lines[0] != Begin || lines[^1] != End)
        {
            throw AgeFormatException.Malformed("the armor lacks its BEGIN or END line");
        }

        var body = lines[1..^1];
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i].Length > Columns || (i < body.Length - 1 && body[i].Length != Columns))
            {
                throw AgeFormatException.Malformed("the armor's base64 lines must be 64 columns (the last one at most)");
            }
        }

        var base64 = string.Concat(body);
        try
        {
            var binary = Convert.FromBase64String(base64);
            return Convert.ToBase64String(binary) == base64 ? binary : throw AgeFormatException.Malformed("the armor holds non-canonical base64");
        }
        catch (FormatException)
        {
            throw AgeFormatException.Malformed("the armor holds invalid base64");
        }
    }
}
