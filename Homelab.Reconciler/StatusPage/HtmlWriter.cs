using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Homelab.Reconciler.StatusPage;

/// <summary>
/// Builds an HTML document: every text and attribute value is encoded, so a name from Git or the cluster is shown,
/// never parsed. Tag and attribute names are the page's own literals.
/// </summary>
internal sealed class HtmlWriter
{
    // All of Unicode stays readable; <, >, &, quotes and the rest of HTML's syntax are always encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly StringBuilder _html = new();

    /// <summary>Markup the page itself wrote (a literal): never a value from outside.</summary>
    public HtmlWriter Markup(string literal)
    {
        _html.Append(literal);
        return this;
    }

    /// <summary>Text, encoded; null writes nothing.</summary>
    public HtmlWriter Text(string? text)
    {
        _html.Append(text is null ? null : Encoder.Encode(text));
        return this;
    }

    /// <summary>An opening tag; attributes whose value is null are left out, values are encoded.</summary>
    public HtmlWriter Open(string tag, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        _html.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is not null)
            {
                _html.Append(' ').Append(name).Append("=\"");
                Text(value);
                _html.Append('"');
            }
        }

        _html.Append('>');
        return this;
    }

    public HtmlWriter Close(string tag)
    {
        _html.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element holding only <paramref name="text"/>, encoded.</summary>
    public HtmlWriter Element(string tag, string? text, params ReadOnlySpan<(string Name, string? Value)> attributes) =>
        Open(tag, attributes).Text(text).Close(tag);

    public override string ToString() => _html.ToString();
}
