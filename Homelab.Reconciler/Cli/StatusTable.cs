using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Cli;

/// <summary>Formats <c>/status</c> JSON as a two-column table for people.</summary>
public static class StatusTable
{
    public static string Format(string statusJson)
    {
        var status = JsonNode.Parse(statusJson) as JsonObject ?? [];
        var rows = new List<(string, string)>
        {
            ("ready", Text(status["ready"])),
            ("reason", Text(status["reason"])),
            ("message", Text(status["message"])),
            ("applied revision", Text(status["lastAppliedRevision"])),
            ("attempted revision", Text(status["lastAttemptedRevision"])),
            ("last reconcile", Text(status["lastReconcileAt"])),
            ("last duration", Text(status["lastDuration"])),
            ("next reconcile", Text(status["nextReconcileAt"])),
            ("suspended", Text(status["suspended"])),
            ("observe-only", Text(status["observeOnly"])),
        };
        if (status["fight"] is { } fight)
        {
            rows.Add(("fight", Text(fight)));
        }

        foreach (var (kind, count) in status["inventory"]?.AsObject() ?? [])
        {
            rows.Add(($"  {kind}", Text(count)));
        }

        var width = rows.Max(r => r.Item1.Length);
        var text = new StringBuilder();
        foreach (var (key, value) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{key.PadRight(width)}  {value}\n");
        }

        return text.ToString();
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "-",
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
