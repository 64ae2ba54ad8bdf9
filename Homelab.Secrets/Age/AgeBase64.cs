namespace Homelab.Secrets.Age;

/// <summary>The header's base64: standard alphabet, no padding, canonical (age rejects any other spelling of the same bytes).</summary>
internal static class AgeBase64
{
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    public static byte[] Decode(string text)
    {
        if (text.Length % 4 == 1 || text.Contains('=', StringComparison.Ordinal) || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '+' or '/')))
        {
            throw AgeFormatException.Malformed("the header holds invalid base64");
        }

        var bytes = Convert.FromBase64String(text + new string('=', (4 - (text.Length % 4)) % 4));
        // Non-zero trailing bits decode to the same bytes: refuse them, as age does.
        return Encode(bytes) == text ? bytes : throw AgeFormatException.Malformed("the header holds non-canonical base64");
    }
}
