using System.Text.Json.Nodes;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// A <c>labelSelector</c> query value as <see cref="InMemoryApiServer"/> understands it: requirements joined by commas,
/// each <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c> or <c>!k</c> (what the reconciler sends for its owner and
/// managed-by labels and for workloads' matchLabels). Set-based requirements (<c>in</c>, <c>notin</c>) are not parsed.
/// </summary>
internal sealed class LabelSelector
{
    private readonly List<Func<JsonObject?, bool>> _requirements;

    private LabelSelector(List<Func<JsonObject?, bool>> requirements) => _requirements = requirements;

    /// <summary>The selector; null when it has a form this fake does not understand (the server answers 400).</summary>
    public static LabelSelector? Parse(string? text)
    {
        var requirements = new List<Func<JsonObject?, bool>>();
        foreach (var requirement in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (requirement.Contains('(', StringComparison.Ordinal) || requirement.Contains(' ', StringComparison.Ordinal))
            {
                return null;
            }

            if (requirement.Split("!=", 2) is [var key, var value])
            {
                requirements.Add(labels => Value(labels, key) != value);
            }
            else if (requirement.Split('=', 2) is [var equalKey, var equalValue])
            {
                var wanted = equalValue.StartsWith('=') ? equalValue[1..] : equalValue;
                requirements.Add(labels => Value(labels, equalKey) == wanted);
            }
            else if (requirement.StartsWith('!'))
            {
                requirements.Add(labels => Value(labels, requirement[1..]) is null);
            }
            else
            {
                requirements.Add(labels => Value(labels, requirement) is not null);
            }
        }

        return new LabelSelector(requirements);
    }

    /// <summary>Whether an object with <paramref name="labels"/> is selected.</summary>
    public bool Matches(JsonObject? labels) => _requirements.TrueForAll(r => r(labels));

    private static string? Value(JsonObject? labels, string key) => labels?[key] is JsonValue value ? (string?)value : null;
}
