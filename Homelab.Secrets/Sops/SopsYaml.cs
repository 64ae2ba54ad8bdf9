using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Homelab.Secrets.Sops;

/// <summary>
/// YAML files as sops (go-yaml v3) reads them: documents whose roots are mappings; plain scalars resolve to null, bool,
/// int or float (YAML 1.2 core), quoted ones stay strings. Comments are not kept. A file of several documents is one sops
/// tree, as the sops CLI keeps it: one data key and one MAC over every document, the <c>sops</c> block repeated in each.
/// </summary>
internal static partial class SopsYaml
{
    public static IReadOnlyList<SopsMapping> Read(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new SopsException(SopsErrorKind.Malformed, $"invalid YAML at line {ex.Start.Line}: {ex.Message}");
        }

        if (stream.Documents.Count == 0)
        {
            throw new SopsException(SopsErrorKind.Malformed, "the file holds no YAML document");
        }

        return [.. stream.Documents.Select((d, i) => Node(d.RootNode) as SopsMapping
            ?? throw new SopsException(SopsErrorKind.Malformed, stream.Documents.Count == 1 ? "the YAML document is not a mapping" : $"YAML document {i + 1} is not a mapping"))];
    }

    public static string Write(IReadOnlyList<SopsMapping> documents)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        for (var i = 0; i < documents.Count; i++)
        {
            // The first document starts implicitly, as before; "---" separates the others, as sops writes them.
            emitter.Emit(new DocumentStart(null, null, isImplicit: i == 0));
            Emit(emitter, documents[i]);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }

        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>Whether the YAML holds a comment (false when it does not even scan).</summary>
    public static bool HasComments(string text)
    {
        try
        {
            var scanner = new Scanner(new StringReader(text), skipComments: false);
            while (scanner.MoveNext())
            {
                if (scanner.Current is YamlDotNet.Core.Tokens.Comment)
                {
                    return true;
                }
            }
        }
        catch (YamlException)
        {
            // Encrypt reports the file as malformed.
        }

        return false;
    }

    /// <summary>go-yaml v3's resolution of a plain scalar: null, bool, int, float, else the text itself.</summary>
    public static object? Resolve(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
        }

        if (Integer().IsMatch(text))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : (object)double.Parse(text, CultureInfo.InvariantCulture);
        }

        return Float().IsMatch(text) ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : text;
    }

    private static SopsNode Node(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new SopsMapping([.. mapping.Children.Select(c => new KeyValuePair<string, SopsNode>(
            c.Key is YamlScalarNode { Value: { } key } ? key : throw new SopsException(SopsErrorKind.Unsupported, "only string keys are supported"),
            Node(c.Value)))]),
        YamlSequenceNode sequence => new SopsSequence([.. sequence.Children.Select(Node)]),
        YamlScalarNode scalar => new SopsScalar(
            scalar.Style is ScalarStyle.Plain && (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific || scalar.Tag.Value != "tag:yaml.org,2002:str")
                ? Resolve(scalar.Value ?? string.Empty)
                : scalar.Value ?? string.Empty),
        _ => throw new SopsException(SopsErrorKind.Unsupported, $"YAML node {node.NodeType} is not supported"),
    };

    private static void Emit(IEmitter emitter, SopsNode node)
    {
        switch (node)
        {
            case SopsMapping mapping:
                emitter.Emit(new MappingStart());
                foreach (var (key, value) in mapping.Entries)
                {
                    emitter.Emit(StringScalar(key));
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case SopsSequence sequence:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                foreach (var item in sequence.Items)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case SopsScalar { Value: string text }:
                emitter.Emit(StringScalar(text));
                break;
            case SopsScalar { Value: byte[] bytes }:
                emitter.Emit(StringScalar(System.Text.Encoding.UTF8.GetString(bytes)));
                break;
            case SopsScalar scalar:
                emitter.Emit(new Scalar(null, null, scalar.Value switch
                {
                    null => "null",
                    bool flag => flag ? "true" : "false",
                    double number => SopsScalarText.Float(number) is var f && Resolve(f) is double ? f : f + ".0",
                    _ => Convert.ToString(scalar.Value, CultureInfo.InvariantCulture)!,
                }, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
        }
    }

    /// <summary>A string stays a string when read back, by YAML 1.2 and 1.1 readers alike: quoted when plain would resolve to something else; literal when multi-line.</summary>
    private static Scalar StringScalar(string text)
    {
        var style = text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : Resolve(text) is not string || Yaml11Word().IsMatch(text) || Timestamp().IsMatch(text) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Any;
        return new Scalar(null, null, text, style, isPlainImplicit: true, isQuotedImplicit: true);
    }

    // YAML 1.1 booleans and the timestamps go-yaml and others turn into non-strings: quoted when written.
    [GeneratedRegex("^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|<<|=)$")]
    private static partial Regex Yaml11Word();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?$")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
