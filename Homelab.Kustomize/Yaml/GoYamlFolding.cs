using System.Text;

namespace Homelab.Kustomize;

/// <summary>
/// Where kubectl's YAML parser (go-yaml) deviates from the YAML spec, and we follow kubectl: in a folded
/// scalar (<c>&gt;</c>), the break before a more-indented line that follows an ordinary line is doubled.
/// The spec reads <c>"a\n  b"</c> from <c>a</c> then <c>  b</c>; kubectl reads <c>"a\n\n  b"</c>.
/// </summary>
internal static class GoYamlFolding
{
    /// <summary>Turns the spec's reading of a folded scalar into kubectl's.</summary>
    public static string Apply(string specValue)
    {
        if (!specValue.Contains("\n ", StringComparison.Ordinal) && !specValue.Contains("\n\t", StringComparison.Ordinal))
        {
            return specValue;
        }
        var lines = specValue.Split('\n');
        var result = new StringBuilder(specValue.Length + 8);
        var previousTextIsOrdinary = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var moreIndented = line.Length > 0 && line[0] is ' ' or '\t';
            if (i > 0)
            {
                result.Append('\n');
                if (moreIndented && previousTextIsOrdinary)
                {
                    result.Append('\n');
                }
            }
            result.Append(line);
            if (line.Length > 0)
            {
                previousTextIsOrdinary = !moreIndented;
            }
        }
        return result.ToString();
    }
}
