namespace Homelab.Kustomize;

/// <summary>Parses Kubernetes label selector strings ("a=b,c!=d,e in (x,y),!f,g") into predicates.</summary>
internal static class LabelSelector
{
    public static List<Func<IReadOnlyDictionary<string, string>, bool>> Parse(KustomizationFile kustomization, string? selector, string field)
    {
        var result = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        if (string.IsNullOrWhiteSpace(selector))
        {
            return result;
        }
        foreach (var raw in SplitTopLevel(selector))
        {
            var requirement = raw.Trim();
            var words = requirement.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 3 && words[1] is "in" or "notin")
            {
                var key = words[0];
                var inner = requirement[(requirement.IndexOf('(', StringComparison.Ordinal) + 1)..requirement.LastIndexOf(')')];
                var values = inner.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                var negate = words[1] == "notin";
                result.Add(m => negate ? !(m.TryGetValue(key, out var v) && values.Contains(v)) : m.TryGetValue(key, out var v2) && values.Contains(v2));
            }
            else if (requirement.Contains("!=", StringComparison.Ordinal))
            {
                var (key, value) = Split(requirement, "!=");
                result.Add(m => !(m.TryGetValue(key, out var v) && v == value));
            }
            else if (requirement.Contains("==", StringComparison.Ordinal) || requirement.Contains('=', StringComparison.Ordinal))
            {
                var (key, value) = Split(requirement, requirement.Contains("==", StringComparison.Ordinal) ? "==" : "=");
                result.Add(m => m.TryGetValue(key, out var v) && v == value);
            }
            else if (requirement.StartsWith('!'))
            {
                var key = requirement[1..].Trim();
                result.Add(m => !m.ContainsKey(key));
            }
            else if (requirement.Length > 0 && !requirement.Contains(' ', StringComparison.Ordinal))
            {
                result.Add(m => m.ContainsKey(requirement));
            }
            else
            {
                throw new BuildException(kustomization.File, field, $"invalid selector requirement '{requirement}'");
            }
        }
        return result;
    }

    private static (string Key, string Value) Split(string requirement, string op)
    {
        var index = requirement.IndexOf(op, StringComparison.Ordinal);
        return (requirement[..index].Trim(), requirement[(index + op.Length)..].Trim());
    }

    private static IEnumerable<string> SplitTopLevel(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            depth += selector[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }
        yield return selector[start..];
    }
}
