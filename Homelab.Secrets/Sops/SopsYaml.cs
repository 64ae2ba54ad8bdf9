using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Homelab.Secrets.Sops;

/// <summary>
/// YAML files as sops (go-yaml v3) reads them: documents whose roots are mappings; plain scalars resolve to null, bool,
/// int or float (YAML 1.2 core), quoted ones stay strings. Comments are kept as sops keeps them: a line comment is an item
/// before the key or list item it precedes (or at the end of the mapping or list whose indentation it has), a comment
/// after a value on its line an inline item before that value's entry; written back as <c>#</c> and their text. A file of
/// several documents is one sops tree, as the sops CLI keeps it: one data key and one MAC over every document, the
/// <c>sops</c> block repeated in each.
/// </summary>
internal static partial class SopsYaml
{
    public static IReadOnlyList<SopsMapping> Read(string text)
    {
        var parser = new Parser(new Scanner(new StringReader(text), skipComments: false));
        var anchors = new Dictionary<string, SopsNode>(StringComparer.Ordinal);
        // Line comments wait for the key or item they precede; the indentation says which mapping or list ends with them.
        var pending = new List<(SopsComment Comment, long Column)>();
        var roots = new List<SopsMapping>();
        var documents = 0;
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.TryConsume<StreamEnd>(out _))
            {
                if (parser.TryConsume<Comment>(out var comment))
                {
                    Pend(comment);
                }
                else if (parser.TryConsume<DocumentStart>(out _))
                {
                    documents++;
                    anchors.Clear();
                }
                else if (parser.TryConsume<DocumentEnd>(out _))
                {
                    // Comments after a document's last entry end that document.
                    EndDocument();
                }
                else
                {
                    roots.Add(ReadNode() as SopsMapping ?? throw NotAMapping(documents));
                }
            }
        }
        catch (YamlException ex)
        {
            throw new SopsException(SopsErrorKind.Malformed, $"invalid YAML at line {ex.Start.Line}: {ex.Message}");
        }

        if (documents == 0)
        {
            throw new SopsException(SopsErrorKind.Malformed, "the file holds no YAML document");
        }

        if (roots.Count < documents)
        {
            throw NotAMapping(roots.Count + 1);
        }

        EndDocument();
        return roots;

        SopsException NotAMapping(int document) =>
            new(SopsErrorKind.Malformed, documents == 1 ? "the YAML document is not a mapping" : $"YAML document {document} is not a mapping");

        void EndDocument()
        {
            if (roots.Count > 0)
            {
                roots[^1].Entries.AddRange(pending.Select(p => p.Comment.Entry()));
                pending.Clear();
            }
        }

        SopsNode ReadNode()
        {
            while (parser.TryConsume<Comment>(out var comment))
            {
                Pend(comment);
            }

            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                return anchors.TryGetValue(alias.Value.Value, out var anchored)
                    ? Clone(anchored)
                    : throw new SopsException(SopsErrorKind.Malformed, $"the alias *{alias.Value.Value} names no anchor before it");
            }

            SopsNode node;
            AnchorName anchor;
            if (parser.TryConsume<Scalar>(out var scalar))
            {
                (node, anchor) = (new SopsScalar(Value(scalar)), scalar.Anchor);
            }
            else if (parser.TryConsume<MappingStart>(out var mapping))
            {
                (node, anchor) = (ReadMapping(mapping.Start.Column), mapping.Anchor);
            }
            else if (parser.TryConsume<SequenceStart>(out var sequence))
            {
                (node, anchor) = (ReadSequence(sequence.Start.Column), sequence.Anchor);
            }
            else
            {
                throw new SopsException(SopsErrorKind.Unsupported, $"YAML event {parser.Current?.GetType().Name} is not supported");
            }

            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = node;
            }

            return node;
        }

        SopsMapping ReadMapping(long column)
        {
            var mapping = new SopsMapping([]);
            var keys = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                if (parser.TryConsume<Comment>(out var comment))
                {
                    Pend(comment);
                    continue;
                }

                if (parser.TryConsume<MappingEnd>(out _))
                {
                    mapping.Entries.AddRange(Ending(column).Select(c => c.Entry()));
                    return mapping;
                }

                if (!parser.TryConsume<Scalar>(out var key))
                {
                    throw new SopsException(SopsErrorKind.Unsupported, "only string keys are supported");
                }

                if (!keys.Add(key.Value))
                {
                    throw new SopsException(SopsErrorKind.Malformed, $"the key '{key.Value}' appears twice in one mapping (line {key.Start.Line})");
                }

                mapping.Entries.AddRange(pending.Select(p => p.Comment.Entry()));
                pending.Clear();
                // A comment after a key whose value starts below: sops keeps it before the entry, as a line comment.
                while (parser.Accept<Comment>(out var after) && after.IsInline)
                {
                    parser.MoveNext();
                    mapping.Entries.Add(new SopsComment(CommentText(after), Inline: false).Entry());
                }

                var value = ReadNode();
                mapping.Entries.Add(new(key.Value, value));
                foreach (var inline in Inline(value))
                {
                    mapping.Entries.Insert(mapping.Entries.Count - 1, inline.Entry());
                }
            }
        }

        SopsSequence ReadSequence(long column)
        {
            var sequence = new SopsSequence([]);
            while (true)
            {
                if (parser.TryConsume<Comment>(out var comment))
                {
                    Pend(comment);
                    continue;
                }

                if (parser.TryConsume<SequenceEnd>(out _))
                {
                    sequence.Items.AddRange(Ending(column));
                    return sequence;
                }

                sequence.Items.AddRange(pending.Select(p => p.Comment));
                pending.Clear();
                var item = ReadNode();
                sequence.Items.Add(item);
                sequence.Items.InsertRange(sequence.Items.Count - 1, Inline(item));
            }
        }

        // The comments on a scalar value's line (sops places them before the value's entry or item).
        List<SopsComment> Inline(SopsNode value)
        {
            var inline = new List<SopsComment>();
            while (value is SopsScalar && parser.Accept<Comment>(out var comment) && comment.IsInline)
            {
                parser.MoveNext();
                inline.Add(new SopsComment(CommentText(comment), Inline: true));
            }

            return inline;
        }

        // The waiting comments indented at least as far as the ending mapping or list: its last items.
        List<SopsComment> Ending(long column)
        {
            var count = pending.TakeWhile(p => p.Column >= column).Count();
            var ending = pending.Take(count).Select(p => p.Comment).ToList();
            pending.RemoveRange(0, count);
            return ending;
        }

        void Pend(Comment comment) => pending.Add((new SopsComment(CommentText(comment), Inline: false), comment.Start.Column));

        // Everything after the '#', as sops keeps it (YamlDotNet trims the space after it).
        string CommentText(Comment comment)
        {
            var hash = text.IndexOf('#', (int)comment.Start.Index);
            var end = text.IndexOf('\n', hash);
            return text[(hash + 1)..(end < 0 ? text.Length : end)].TrimEnd('\r');
        }
    }

    public static string Write(IReadOnlyList<SopsMapping> documents)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer);
        // YamlDotNet writes a comment as "# " and its text; sops as "#" and its text: each goes out as a marker, replaced after.
        var comments = new List<string>();
        var marker = $"sops-comment-{Guid.NewGuid():N}-";
        emitter.Emit(new StreamStart());
        for (var i = 0; i < documents.Count; i++)
        {
            // The first document starts implicitly; "---" separates the others, as sops writes them.
            emitter.Emit(new DocumentStart(null, null, isImplicit: i == 0));
            Emit(emitter, documents[i], comments, marker);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }

        emitter.Emit(new StreamEnd());
        var text = new StringBuilder(writer.ToString());
        for (var i = 0; i < comments.Count; i++)
        {
            text.Replace($"# {Marker(marker, i)}", "#" + comments[i]);
        }

        return text.ToString();
    }

    private static string Marker(string marker, int index) => marker + index.ToString("D8", CultureInfo.InvariantCulture);

    private static SopsNode Clone(SopsNode node) => node switch
    {
        SopsMapping mapping => new SopsMapping([.. mapping.Entries.Select(e => new KeyValuePair<string, SopsNode>(e.Key, Clone(e.Value)))]),
        SopsSequence sequence => new SopsSequence([.. sequence.Items.Select(Clone)]),
        _ => node,
    };

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

    /// <summary>A scalar's value: plain ones resolve as go-yaml resolves them, unless tagged !!str; quoted ones are text.</summary>
    private static object? Value(Scalar scalar) =>
        scalar.Style is ScalarStyle.Plain && (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific || scalar.Tag.Value != "tag:yaml.org,2002:str")
            ? Resolve(scalar.Value)
            : scalar.Value;

    private static void Emit(IEmitter emitter, SopsNode node, List<string> comments, string marker)
    {
        switch (node)
        {
            case SopsMapping mapping:
                emitter.Emit(new MappingStart());
                // Inline comments precede their entry in the tree and follow its value on the line.
                var inline = new List<SopsComment>();
                foreach (var (key, value) in mapping.Entries)
                {
                    if (value is SopsComment comment)
                    {
                        Comment(comment.Inline ? inline : null, comment);
                        continue;
                    }

                    if (value is not SopsScalar)
                    {
                        Flush(inline);
                    }

                    emitter.Emit(StringScalar(key));
                    Emit(emitter, value, comments, marker);
                    Flush(inline, onTheLine: true);
                }

                Flush(inline);
                emitter.Emit(new MappingEnd());
                break;
            case SopsSequence sequence:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
                var inlineItems = new List<SopsComment>();
                foreach (var item in sequence.Items)
                {
                    if (item is SopsComment comment)
                    {
                        Comment(comment.Inline ? inlineItems : null, comment);
                        continue;
                    }

                    if (item is not SopsScalar)
                    {
                        Flush(inlineItems);
                    }

                    Emit(emitter, item, comments, marker);
                    Flush(inlineItems, onTheLine: true);
                }

                Flush(inlineItems);
                emitter.Emit(new SequenceEnd());
                break;
            case SopsScalar { Value: string text }:
                emitter.Emit(StringScalar(text));
                break;
            case SopsScalar { Value: byte[] bytes }:
                emitter.Emit(StringScalar(Encoding.UTF8.GetString(bytes)));
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

        // A line comment goes out now; an inline one waits for the value it follows.
        void Comment(List<SopsComment>? waiting, SopsComment comment)
        {
            if (waiting is null)
            {
                Put(comment, inline: false);
            }
            else
            {
                waiting.Add(comment);
            }
        }

        void Flush(List<SopsComment> waiting, bool onTheLine = false)
        {
            foreach (var comment in waiting)
            {
                Put(comment, onTheLine);
            }

            waiting.Clear();
        }

        void Put(SopsComment comment, bool inline)
        {
            emitter.Emit(new Comment(Marker(marker, comments.Count), inline));
            comments.Add(comment.Text);
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
