using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Homelab.Kustomize;

/// <summary>
/// Converts YAML streams to JSON nodes the way kustomize sees them (go-yaml v3 decoding into
/// untyped values): plain scalars are typed, quoted or <c>!!str</c> scalars stay strings, and
/// YAML 1.1 words such as <c>on</c>/<c>yes</c> stay strings.
/// </summary>
/// <remarks>
/// Reads parser events rather than a representation model so that every alias is expanded by us
/// and charged against <see cref="BuildLimits.MaxAliasExpansions"/> (billion-laughs protection).
/// </remarks>
/// <param name="file">The file name errors name (a <see cref="BuildException"/> carries it).</param>
/// <param name="limits">The alias-expansion and nesting limits the reader enforces.</param>
public sealed partial class YamlToJson(string file, BuildLimits limits)
{
    private readonly Dictionary<string, (JsonNode? Node, int Size)> _anchors = new(StringComparer.Ordinal);
    private long _aliasBudgetUsed;
    private Mark _lastMark = Mark.Empty;

    /// <summary>Parses every document of <paramref name="text"/>; empty documents come back as null.</summary>
    /// <exception cref="BuildException">The YAML is invalid or exceeds the limits.</exception>
    public List<JsonNode?> ReadDocuments(string text)
    {
        var documents = new List<JsonNode?>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                _anchors.Clear();
                var (node, _) = ReadNode(parser, Context.Root, 0);
                parser.Consume<DocumentEnd>();
                documents.Add(node);
            }
            parser.Consume<StreamEnd>();
        }
        catch (YamlException e)
        {
            throw new BuildException(file, $"line {e.Start.Line}, column {e.Start.Column}", $"invalid YAML: {Clean(e.Message)}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner sometimes fails this way on malformed input; report where we last were.
            throw new BuildException(file, Where(_lastMark), $"invalid YAML near here: {e.Message}", e);
        }
        return documents;
    }

    /// <summary>Where a node sits; top-level annotations are always strings in kustomize's output.</summary>
    private enum Context { Root, RootMetadata, Annotations, AnnotationValue, Other }

    private (JsonNode? Node, int Size) ReadNode(IParser parser, Context context, int depth)
    {
        var start = parser.Current!.Start;
        _lastMark = start;

        // Checked before descending, so no input decides how deep this recursion goes.
        if (parser.Current is SequenceStart or MappingStart && depth >= limits.MaxYamlDepth)
        {
            throw new BuildException(file, Where(start), $"YAML nests deeper than the limit of {limits.MaxYamlDepth} mappings and sequences");
        }
        switch (parser.Current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                {
                    throw new BuildException(file, Where(start), $"unknown anchor '{alias.Value.Value}' referenced");
                }
                // Charge what the alias copies, so nested aliases (billion laughs) hit the cap quickly.
                _aliasBudgetUsed += anchored.Size;
                if (_aliasBudgetUsed > limits.MaxAliasExpansions)
                {
                    throw new BuildException(file, Where(start),
                        $"YAML alias expansion exceeds the limit of {limits.MaxAliasExpansions} nodes (alias bomb?)");
                }
                return (anchored.Node?.DeepClone(), anchored.Size);
            case Scalar scalar:
                parser.MoveNext();
                var value = context == Context.AnnotationValue ? JsonValue.Create(Text(scalar)) : ConvertScalar(scalar, start);
                Remember(scalar.Anchor, value, 1);
                return (value, 1);
            case SequenceStart sequenceStart:
            {
                parser.MoveNext();
                var array = new JsonArray();
                var size = 1;
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    var (item, itemSize) = ReadNode(parser, Context.Other, depth + 1);
                    array.Add(item);
                    size += itemSize;
                }
                Remember(sequenceStart.Anchor, array, size);
                return (array, size);
            }
            case MappingStart mappingStart:
            {
                parser.MoveNext();
                var map = new JsonObject();
                var size = 1;
                List<JsonObject>? merges = null;
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyStart = parser.Current!.Start;
                    var (key, isMergeKey) = ReadKey(parser, keyStart);
                    var childContext = (context, key) switch
                    {
                        (Context.Root, "metadata") => Context.RootMetadata,
                        (Context.RootMetadata, "annotations") => Context.Annotations,
                        (Context.Annotations, _) => Context.AnnotationValue,
                        _ => Context.Other,
                    };
                    var (child, childSize) = ReadNode(parser, childContext, depth + 1);
                    size += childSize + 1;
                    if (isMergeKey)
                    {
                        // YAML merge key: mappings merged in without overriding explicit keys.
                        merges ??= [];
                        switch (child)
                        {
                            case JsonObject o: merges.Add(o); break;
                            case JsonArray a: merges.AddRange(a.OfType<JsonObject>()); break;
                            default: throw new BuildException(file, Where(keyStart), "merge key '<<' needs a mapping");
                        }
                        continue;
                    }
                    if (map.ContainsKey(key))
                    {
                        throw new BuildException(file, Where(keyStart), $"mapping key \"{key}\" already defined");
                    }
                    map[key] = child;
                }
                foreach (var merge in merges ?? [])
                {
                    foreach (var (k, v) in merge)
                    {
                        if (!map.ContainsKey(k))
                        {
                            map[k] = v?.DeepClone();
                        }
                    }
                }
                Remember(mappingStart.Anchor, map, size);
                return (map, size);
            }
            default:
                throw new BuildException(file, Where(start), $"unexpected YAML event {parser.Current!.GetType().Name}");
        }
    }

    /// <summary>
    /// A mapping key: a scalar, or an alias of one (Helm values often key a map by an anchored app name).
    /// Keys are strings in JSON; an aliased number or bool becomes its text, as kustomize prints it.
    /// </summary>
    private (string Key, bool IsMergeKey) ReadKey(IParser parser, Mark keyStart)
    {
        switch (parser.Current)
        {
            case Scalar scalar:
                parser.MoveNext();
                Remember(scalar.Anchor, JsonValue.Create(scalar.Value), 1);
                return (scalar.Value, scalar.Value == "<<" && scalar.Style == ScalarStyle.Plain);
            case AnchorAlias alias when _anchors.TryGetValue(alias.Value.Value, out var anchored) && anchored.Node is JsonValue value:
                parser.MoveNext();
                return (value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(), false);
            case AnchorAlias alias when !_anchors.ContainsKey(alias.Value.Value):
                throw new BuildException(file, Where(keyStart), $"unknown anchor '{alias.Value.Value}' referenced");
            default:
                throw new BuildException(file, Where(keyStart), "complex mapping keys are not supported");
        }
    }

    private void Remember(AnchorName anchor, JsonNode? node, int size)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = (node, size);
        }
    }

    private JsonValue? ConvertScalar(Scalar scalar, Mark start)
    {
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || (scalar.Style != ScalarStyle.Plain && tag is null) || tag == "!")
        {
            return JsonValue.Create(Text(scalar));
        }
        var resolved = ResolvePlain(scalar.Value);
        if (resolved is double d && (double.IsNaN(d) || double.IsInfinity(d)))
        {
            throw new BuildException(file, Where(start), $"unsupported value '{scalar.Value}' (NaN and infinity have no JSON form)");
        }
        return ToNode(resolved, scalar.Value);
    }

    /// <summary>The node for what <see cref="ResolvePlain"/> made of <paramref name="text"/> (NaN and infinity stay text).</summary>
    internal static JsonValue? ToNode(object? resolved, string text) => resolved switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        ulong u => JsonValue.Create(u),
        double f when double.IsFinite(f) => JsonValue.Create(f),
        string s => JsonValue.Create(s),
        _ => JsonValue.Create(text),
    };

    private static string Text(Scalar scalar) => scalar.Style == ScalarStyle.Folded ? GoYamlFolding.Apply(scalar.Value) : scalar.Value;

    /// <summary>Types a plain scalar like go-yaml v3 does when decoding into an untyped value.</summary>
    /// <returns>null, a <see cref="bool"/>, <see cref="long"/>, <see cref="ulong"/>, <see cref="double"/>, or the text itself as a string.</returns>
    public static object? ResolvePlain(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF": return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN": return double.NaN;
        }
        if ("+-.0123456789".IndexOf(text[0], StringComparison.Ordinal) < 0)
        {
            return text;
        }
        // go-yaml strips every underscore, then parses with Go's base-prefix rules (0x, 0o, 0b, leading 0 = octal).
        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (TryParseGoInteger(plain, out var integer))
        {
            if (integer >= long.MinValue && integer <= long.MaxValue)
            {
                return (long)integer;
            }
            if (integer >= 0 && integer <= ulong.MaxValue)
            {
                return (ulong)integer;
            }
        }
        if (FloatPattern().IsMatch(plain))
        {
            var f = double.Parse(plain, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsInfinity(f))
            {
                return text; // Go's ParseFloat reports a range error, and go-yaml falls back to a string.
            }
            return f == Math.Floor(f) && Math.Abs(f) < 9.007199254740992E15 ? (long)f : f;
        }
        // go-yaml turns its timestamp forms into time values, which kustomize writes back as RFC 3339 strings.
        return Timestamp(text) ?? text;
    }

    private static string? Timestamp(string text)
    {
        var match = TimestampPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }
        int Part(int group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        var zone = match.Groups[9].Value;
        if (match.Groups[4].Success && match.Groups[4].Value.Trim().Length == 0 && zone.Length > 0)
        {
            return null; // The space-separated form carries no zone in go-yaml's formats.
        }
        if (match.Groups[4].Success && match.Groups[4].Value.Trim().Length > 0 && zone.Length == 0)
        {
            return null; // The 'T' form needs a zone.
        }
        var date = $"{Part(1):D4}-{Part(2):D2}-{Part(3):D2}";
        if (!match.Groups[5].Success)
        {
            return date + "T00:00:00Z";
        }
        var fraction = match.Groups[8].Value.TrimEnd('0');
        var offset = zone is "" or "Z" or "+00:00" ? "Z" : zone;
        return $"{date}T{Part(5):D2}:{Part(6):D2}:{Part(7):D2}{(fraction.Length > 1 ? fraction : "")}{offset}";
    }

    private static bool TryParseGoInteger(string s, out BigInteger value)
    {
        value = default;
        var negative = false;
        var i = 0;
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
        {
            negative = s[0] == '-';
            i = 1;
        }
        var body = s[i..];
        var radix = 10;
        if (body.Length > 1 && body[0] == '0')
        {
            (radix, body) = char.ToLowerInvariant(body[1]) switch
            {
                'x' => (16, body[2..]),
                'o' => (8, body[2..]),
                'b' => (2, body[2..]),
                _ => (8, body[1..]),
            };
        }
        if (body.Length == 0)
        {
            return false;
        }
        BigInteger result = 0;
        foreach (var c in body)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return false;
            }
            result = (result * radix) + digit;
        }
        value = negative ? -result : result;
        return true;
    }

    private static string Where(Mark mark) => $"line {mark.Line}, column {mark.Column}";

    private static string Clean(string message)
    {
        // YamlDotNet prefixes "(Line: x, Col: y, Idx: z) - (Line: ...): " which we already report.
        var index = message.LastIndexOf("): ", StringComparison.Ordinal);
        return index >= 0 ? message[(index + 3)..] : message;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:([Tt]| )([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$")]
    private static partial Regex TimestampPattern();
}
