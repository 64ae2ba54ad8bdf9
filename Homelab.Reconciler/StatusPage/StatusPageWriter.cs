using System.Globalization;
using Homelab.Reconciler.Status;

namespace Homelab.Reconciler.StatusPage;

/// <summary>
/// The status page (<c>GET /</c>) as HTML, from the same <see cref="StatusSnapshot"/> that <c>/status</c> answers, so
/// the two never disagree: the state and why, the source and revision, fights, every object with its health and the
/// last cycles. Server-side and read-only: no script; it reloads itself every <see cref="RefreshSeconds"/> seconds.
/// Everything from Git or the cluster goes through <see cref="HtmlWriter"/>'s encoding.
/// </summary>
internal static class StatusPageWriter
{
    /// <summary>How often the page reloads itself.</summary>
    public const int RefreshSeconds = 10;

    public static string Write(StatusSnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var html = new HtmlWriter();
        html.Markup("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Markup("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Markup("<meta name=\"color-scheme\" content=\"light dark\">")
            .Markup("<meta name=\"referrer\" content=\"no-referrer\">")
            .Markup(FormattableString.Invariant($"<meta http-equiv=\"refresh\" content=\"{RefreshSeconds}\">"))
            .Markup("<title>Homelab reconciler</title><style>").Markup(StatusPageStyle.Css).Markup("</style></head><body>");
        Header(html, snapshot);
        Source(html, snapshot, now);
        Fight(html, snapshot);
        Objects(html, snapshot);
        Cycles(html, snapshot);
        html.Open("footer").Text($"Reloads every {RefreshSeconds} s. Rendered at {Time(now)}. The same data as JSON: ")
            .Element("a", "/status", ("href", "status")).Text(".").Close("footer");
        return html.Markup("</body></html>\n").ToString();
    }

    private static void Header(HtmlWriter html, StatusSnapshot snapshot)
    {
        html.Open("header").Element("h1", "Homelab reconciler").Open("p")
            .Element("span", snapshot.State, ("id", "state"), ("class", $"badge {snapshot.State}")).Text(" ")
            .Element("span", snapshot.Reason, ("id", "reason"));
        if (snapshot.Suspended)
        {
            html.Text(" ").Element("span", "Suspended", ("id", "suspended"), ("class", "badge Suspended"));
        }

        if (snapshot.ObserveOnly)
        {
            html.Text(" ").Element("span", "Observe-only", ("id", "observe-only"), ("class", "badge ObserveOnly"));
        }

        html.Close("p").Element("p", snapshot.Message, ("id", "message")).Close("header");
    }

    private static void Source(HtmlWriter html, StatusSnapshot snapshot, DateTimeOffset now)
    {
        html.Open("section", ("id", "source")).Element("h2", "Source").Open("dl");
        if (snapshot.Source is { } source)
        {
            Term(html, "Repository").Open("dd", ("id", "source-url")).Element("code", source.Url).Close("dd");
            Term(html, "Branch").Open("dd", ("id", "source-ref")).Element("code", source.Ref).Close("dd");
            Term(html, "Path").Open("dd", ("id", "source-path")).Element("code", source.Path).Close("dd");
        }
        else
        {
            Term(html, "Repository").Element("dd", "none configured (Reconciler:Source): nothing is reconciled", ("id", "source-url"));
        }

        Term(html, "Applied revision");
        Revision(html, snapshot.LastAppliedRevision, "applied-revision");
        Term(html, "Last attempted");
        Revision(html, snapshot.LastAttemptedRevision, "attempted-revision");
        Term(html, "Last cycle").Element(
            "dd",
            snapshot.LastReconcileAt is { } last ? $"{Time(last)} ({Ago(now - last)}), took {Duration(snapshot.LastDuration ?? TimeSpan.Zero)}" : "none has finished yet",
            ("id", "last-cycle"));
        Term(html, "Next cycle").Element(
            "dd",
            snapshot.Suspended ? "none while suspended (POST /resume)" : snapshot.NextReconcileAt is { } next ? Time(next) : "after the first",
            ("id", "next-cycle"));
        Term(html, "Mode").Element(
            "dd",
            snapshot.ObserveOnly ? "observe-only: no cluster configured, it fetches and builds and applies nothing" : "applies to the cluster and repairs drift",
            ("id", "mode"));
        html.Close("dl").Close("section");
    }

    private static void Fight(HtmlWriter html, StatusSnapshot snapshot)
    {
        if (snapshot.Fight is { } fight)
        {
            html.Open("section", ("id", "fight"), ("class", "alert")).Element("h2", "Another writer fights over an object")
                .Element("p", fight).Close("section");
        }
    }

    private static void Objects(HtmlWriter html, StatusSnapshot snapshot)
    {
        html.Open("section", ("id", "objects")).Element("h2", $"Objects ({snapshot.Objects.Count})");
        if (snapshot.Objects.Count == 0)
        {
            html.Element("p", snapshot.LastReconcileAt is null ? "Known after the first cycle." : "The inventory is empty.", ("class", "muted"));
            html.Close("section");
            return;
        }

        html.Markup("<table><thead><tr><th>Object</th><th>Health</th><th>Details</th></tr></thead><tbody>");
        foreach (var managed in snapshot.Objects)
        {
            var name = managed.Namespace is null ? $"{managed.Kind}/{managed.Name}" : $"{managed.Kind}/{managed.Namespace}/{managed.Name}";
            html.Open("tr", ("data-object", name), ("data-health", managed.Health))
                .Open("td", ("data-label", "Object")).Element("code", name).Close("td")
                .Open("td", ("data-label", "Health")).Element("span", managed.Health, ("class", $"badge {managed.Health}")).Close("td")
                .Element("td", managed.CheckedAt is { } at ? $"{managed.Message ?? "checked"} at {Time(at)}" : managed.Message, ("data-label", "Details"))
                .Close("tr");
        }

        html.Markup("</tbody></table>").Close("section");
    }

    private static void Cycles(HtmlWriter html, StatusSnapshot snapshot)
    {
        html.Open("section", ("id", "cycles")).Element("h2", $"Last cycles ({snapshot.Cycles.Count})");
        if (snapshot.Cycles.Count == 0)
        {
            html.Element("p", "None has finished yet.", ("class", "muted")).Close("section");
            return;
        }

        html.Markup("<table><thead><tr><th>Started</th><th>Outcome</th><th>Revision</th><th>Took</th><th>What happened</th></tr></thead><tbody>");
        foreach (var cycle in snapshot.Cycles)
        {
            html.Open("tr", ("data-revision", cycle.Revision), ("data-reason", cycle.Reason))
                .Element("td", Time(cycle.StartedAt), ("data-label", "Started"))
                .Open("td", ("data-label", "Outcome")).Element("span", cycle.State, ("class", $"badge {cycle.State}")).Text(" ").Text(cycle.Reason).Close("td")
                .Open("td", ("data-label", "Revision"));
            Revision(html, cycle.Revision);
            html.Close("td")
                .Element("td", Duration(cycle.Duration), ("data-label", "Took"))
                .Element("td", cycle.Changes is { } changes && cycle.Ready ? changes : cycle.Message, ("data-label", "What happened"))
                .Close("tr");
        }

        html.Markup("</tbody></table>").Close("section");
    }

    private static HtmlWriter Term(HtmlWriter html, string term) => html.Element("dt", term);

    private static void Revision(HtmlWriter html, string? revision, string id)
    {
        html.Open("dd", ("id", id));
        Revision(html, revision);
        html.Close("dd");
    }

    private static void Revision(HtmlWriter html, string? revision)
    {
        if (string.IsNullOrEmpty(revision))
        {
            html.Element("span", "none yet", ("class", "muted"));
        }
        else
        {
            html.Element("code", revision);
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan duration) => duration < TimeSpan.FromSeconds(1)
        ? FormattableString.Invariant($"{duration.TotalMilliseconds:0} ms")
        : FormattableString.Invariant($"{duration.TotalSeconds:0.0} s");

    private static string Ago(TimeSpan elapsed) => elapsed < TimeSpan.FromMinutes(2)
        ? FormattableString.Invariant($"{Math.Max(0, elapsed.TotalSeconds):0} s ago")
        : elapsed < TimeSpan.FromHours(2) ? FormattableString.Invariant($"{elapsed.TotalMinutes:0} min ago")
        : FormattableString.Invariant($"{elapsed.TotalHours:0} h ago");
}
