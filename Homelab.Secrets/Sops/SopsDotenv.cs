using System.Globalization;
using System.Text;

namespace Homelab.Secrets.Sops;

/// <summary>
/// dotenv files as sops reads them: <c>KEY=VALUE</c> lines, <c>\n</c> in a value is a newline, every value a string;
/// the metadata is flattened into <c>sops_</c> keys (<c>sops_age__list_0__map_enc</c>). Comment lines are not kept.
/// </summary>
internal static class SopsDotenv
{
    private const string Prefix = SopsMetadata.Key + "_";
    private const string MapSeparator = "__map_";
    private const string ListSeparator = "__list_";

    /// <summary>The entries in order; <c>sops_</c> keys are gathered, unflattened, into one <c>sops</c> entry.</summary>
    public static SopsMapping Read(string text)
    {
        var entries = new List<KeyValuePair<string, SopsNode>>();
        var metadata = new List<KeyValuePair<string, string>>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new SopsException(SopsErrorKind.Malformed, $"line {number} is not KEY=VALUE");
            }

            var key = line[..equals];
            var value = line[(equals + 1)..].Replace("\\n", "\n", StringComparison.Ordinal);
            if (key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                metadata.Add(new(key[Prefix.Length..], value));
            }
            else
            {
                entries.Add(new(key, new SopsScalar(value)));
            }
        }

        if (metadata.Count > 0)
        {
            entries.Add(new(SopsMetadata.Key, Unflatten(metadata)));
        }

        return new SopsMapping(entries);
    }

    public static string Write(SopsMapping root)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in root.Entries)
        {
            if (key == SopsMetadata.Key)
            {
                Flatten(text, Prefix, value);
                continue;
            }

            if (value is not SopsScalar scalar)
            {
                throw new SopsException(SopsErrorKind.Malformed, $"dotenv values cannot be lists or mappings (key {key})");
            }

            Line(text, key, scalar);
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string key, SopsScalar scalar)
    {
        var value = scalar.Value switch
        {
            string s => s,
            bool flag => flag ? "true" : "false",
            double number => SopsScalarText.Float(number),
            null => string.Empty,
            _ => Convert.ToString(scalar.Value, CultureInfo.InvariantCulture),
        };
        text.Append(key).Append('=').Append(value!.Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
    }

    private static void Flatten(StringBuilder text, string prefix, SopsNode node)
    {
        switch (node)
        {
            case SopsMapping mapping:
                foreach (var (key, value) in mapping.Entries)
                {
                    Flatten(text, prefix == Prefix ? prefix + key : prefix + MapSeparator + key, value);
                }

                break;
            case SopsSequence sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    Flatten(text, prefix + ListSeparator + i.ToString(CultureInfo.InvariantCulture), sequence.Items[i]);
                }

                break;
            case SopsScalar scalar:
                Line(text, prefix, scalar);
                break;
        }
    }

    /// <summary>Rebuilds the metadata block from its flattened keys (<c>age__list_0__map_enc</c> is age[0].enc).</summary>
    private static SopsMapping Unflatten(List<KeyValuePair<string, string>> flat)
    {
        var root = new SopsMapping([]);
        foreach (var (key, value) in flat)
        {
            var tokens = Tokens(key);
            SopsNode current = root;
            for (var i = 0; i < tokens.Count; i++)
            {
                var last = i == tokens.Count - 1;
                SopsNode Next() => last ? new SopsScalar(value) : tokens[i + 1].Index is null ? new SopsMapping([]) : new SopsSequence([]);
                var (name, index) = tokens[i];
                if (current is SopsMapping mapping && name is not null)
                {
                    var existing = mapping[name];
                    if (existing is null)
                    {
                        existing = Next();
                        mapping.Entries.Add(new(name, existing));
                    }

                    current = existing;
                }
                else if (current is SopsSequence sequence && index is { } at)
                {
                    while (sequence.Items.Count <= at)
                    {
                        sequence.Items.Add(Next());
                    }

                    current = sequence.Items[at];
                }
                else
                {
                    throw new SopsException(SopsErrorKind.Malformed, $"the metadata key sops_{key} does not fit the others");
                }
            }
        }

        return root;
    }

    private static List<(string? Name, int? Index)> Tokens(string key)
    {
        var tokens = new List<(string?, int?)>();
        var rest = key;
        var first = true;
        while (rest.Length > 0)
        {
            var map = rest.IndexOf(MapSeparator, first ? 0 : 1, StringComparison.Ordinal);
            var list = rest.IndexOf(ListSeparator, first ? 0 : 1, StringComparison.Ordinal);
            var next = new[] { map, list }.Where(i => i >= 0).DefaultIfEmpty(rest.Length).Min();
            var part = rest[..next];
            if (first)
            {
                tokens.Add((part, null));
            }
            else if (part.StartsWith(MapSeparator, StringComparison.Ordinal))
            {
                tokens.Add((part[MapSeparator.Length..], null));
            }
            else if (int.TryParse(part.AsSpan(ListSeparator.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                tokens.Add((null, index));
            }
            else
            {
                throw new SopsException(SopsErrorKind.Malformed, $"the metadata key sops_{key} has a bad list index");
            }

            first = false;
            rest = rest[next..];
        }

        return tokens;
    }
}
