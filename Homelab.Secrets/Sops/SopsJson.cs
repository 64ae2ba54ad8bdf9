using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Homelab.Secrets.Sops;

/// <summary>JSON files: the root an object, keys in file order; numbers with a point or exponent are floats, others ints.</summary>
internal static class SopsJson
{
    public static SopsMapping Read(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return Node(document.RootElement) as SopsMapping ?? throw new SopsException(SopsErrorKind.Malformed, "the JSON document is not an object");
        }
        catch (JsonException ex)
        {
            throw new SopsException(SopsErrorKind.Malformed, $"invalid JSON at line {(ex.LineNumber ?? 0) + 1}");
        }
    }

    public static string Write(SopsMapping root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, root);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static SopsNode Node(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new SopsMapping([.. element.EnumerateObject().Select(p => new KeyValuePair<string, SopsNode>(p.Name, Node(p.Value)))]),
        JsonValueKind.Array => new SopsSequence([.. element.EnumerateArray().Select(Node)]),
        JsonValueKind.String => new SopsScalar(element.GetString()),
        JsonValueKind.Number => new SopsScalar(element.GetRawText().AsSpan().IndexOfAny(".eE") < 0 && element.TryGetInt64(out var number) ? number : (object)element.GetDouble()),
        JsonValueKind.True => new SopsScalar(true),
        JsonValueKind.False => new SopsScalar(false),
        _ => new SopsScalar(null),
    };

    private static void Write(Utf8JsonWriter writer, SopsNode node)
    {
        switch (node)
        {
            case SopsMapping mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Entries)
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case SopsSequence sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case SopsScalar { Value: string text }:
                writer.WriteStringValue(text);
                break;
            case SopsScalar { Value: byte[] bytes }:
                writer.WriteStringValue(Encoding.UTF8.GetString(bytes));
                break;
            case SopsScalar { Value: long number }:
                writer.WriteNumberValue(number);
                break;
            case SopsScalar { Value: double number }:
                writer.WriteRawValue(SopsScalarText.Float(number).ToString(CultureInfo.InvariantCulture));
                break;
            case SopsScalar { Value: bool flag }:
                writer.WriteBooleanValue(flag);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
