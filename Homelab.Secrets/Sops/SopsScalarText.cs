using System.Globalization;
using System.Text;

namespace Homelab.Secrets.Sops;

/// <summary>How sops turns a leaf into bytes (what it encrypts and what the MAC covers): Go's formatting of each type.</summary>
internal static class SopsScalarText
{
    /// <summary>sops' type name for <paramref name="value"/> in <c>ENC[…,type:…]</c>.</summary>
    public static string TypeName(object value) => value switch
    {
        string => "str",
        long => "int",
        double => "float",
        bool => "bool",
        byte[] => "bytes",
        _ => throw new SopsException(SopsErrorKind.Unsupported, $"a value of type {value.GetType().Name} cannot be encrypted"),
    };

    public static byte[] ToBytes(object value) => value switch
    {
        string text => Encoding.UTF8.GetBytes(text),
        long number => Encoding.UTF8.GetBytes(number.ToString(CultureInfo.InvariantCulture)),
        double number => Encoding.UTF8.GetBytes(Float(number)),
        // Python's spelling, kept by sops for compatibility.
        bool flag => Encoding.UTF8.GetBytes(flag ? "True" : "False"),
        byte[] bytes => bytes,
        _ => throw new SopsException(SopsErrorKind.Unsupported, $"a value of type {value.GetType().Name} cannot be encrypted"),
    };

    /// <summary>The decrypted bytes as the value of <paramref name="type"/>.</summary>
    public static object FromBytes(byte[] bytes, string type)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return type switch
        {
            "str" or "comment" => text,
            "int" when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => number,
            "float" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
            "bool" when ParseBool(text) is { } flag => flag,
            "bytes" => bytes,
            "int" or "float" or "bool" => throw new SopsException(SopsErrorKind.Malformed, $"a value of type {type} does not parse as one"),
            _ => throw new SopsException(SopsErrorKind.Unsupported, $"value type '{type}' is not supported"),
        };
    }

    /// <summary>Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest digits that round-trip, never an exponent.</summary>
    public static string Float(double value)
    {
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var e = shortest.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return shortest;
        }

        var exponent = int.Parse(shortest.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = shortest[..e];
        var negative = mantissa.StartsWith('-');
        var digits = mantissa.TrimStart('-').Replace(".", string.Empty, StringComparison.Ordinal);
        // The point sits after the first digit of the mantissa: move it by the exponent.
        var point = 1 + exponent;
        var fixedText = point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length)
            : digits[..point] + "." + digits[point..];
        return (negative ? "-" : string.Empty) + fixedText;
    }

    /// <summary>Go's strconv.ParseBool.</summary>
    private static bool? ParseBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };
}
