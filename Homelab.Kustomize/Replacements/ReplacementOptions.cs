using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>A source's or target's <c>options</c>.</summary>
internal sealed record ReplacementOptions(string? Delimiter, int Index, bool Create)
{
    public static ReplacementOptions Read(KustomizationFile owner, JsonNode? node, string field)
    {
        if (node is null)
        {
            return new ReplacementOptions(null, 0, false);
        }
        var options = owner.Object(node, field);
        owner.CheckFields(options, field, "delimiter", "index", "create");
        var delimiter = owner.StringOf(options["delimiter"], $"{field}.delimiter");
        var index = options["index"] switch
        {
            null => 0,
            JsonValue v when v.TryGetValue<long>(out var i) && i is >= int.MinValue and <= int.MaxValue => (int)i,
            _ => throw new BuildException(owner.File, $"{field}.index", "must be an integer"),
        };
        var create = options["create"] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw new BuildException(owner.File, $"{field}.create", "must be true or false"),
        };
        return new ReplacementOptions(string.IsNullOrEmpty(delimiter) ? null : delimiter, index, create);
    }
}
