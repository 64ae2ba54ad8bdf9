using Homelab.Reconciler.Status;
using Homelab.Reconciler.StatusPage;

namespace Homelab.Tests.Reconciler.StatusPage;

/// <summary>
/// Issue 21: every value the page shows comes from Git or the cluster and is untrusted. With markup in every one
/// of the snapshot's strings, the page holds none of it as markup: the browser tests show one such name inert, this
/// covers every field.
/// </summary>
public sealed class StatusPageWriterTests
{
    private const string Hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
    private const string Encoded = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#x27;&amp;";
    private static readonly DateTimeOffset At = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Markup_in_any_field_is_written_as_text()
    {
        var snapshot = new StatusSnapshot
        {
            Ready = false,
            Reason = Hostile,
            Message = Hostile,
            LastAppliedRevision = Hostile,
            LastAttemptedRevision = Hostile,
            LastReconcileAt = At,
            LastDuration = TimeSpan.FromSeconds(2),
            NextReconcileAt = At,
            Fight = Hostile,
            Source = new TrackedSource(Hostile, Hostile, Hostile),
            Objects = [new ManagedObject(Hostile, Hostile, Hostile, Hostile, Hostile, Hostile, At)],
            Cycles = [new CycleSummary(At, TimeSpan.FromSeconds(2), false, Hostile, Hostile, Hostile, Hostile, Hostile)],
        };

        var html = StatusPageWriter.Write(snapshot, At);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert(1)</", html, StringComparison.Ordinal);
        // Reason, message, both revisions, fight, url, ref, path, the object's kind, namespace, name (twice: code and
        // attribute), health (three times: attribute, class, text) and message, the cycle's reason (twice), revision
        // (twice) and message: each one encoded, none dropped.
        Assert.True(Count(html, Encoded) >= 18, $"{Count(html, Encoded)} encoded values in:\n{html}");
    }

    [Fact]
    public void Before_any_cycle_the_page_says_what_is_not_known_yet()
    {
        var html = StatusPageWriter.Write(new ReconcileStatus().Snapshot(), At);

        Assert.Contains("""<span id="state" class="badge Progressing">Progressing</span>""", html, StringComparison.Ordinal);
        Assert.Contains("none configured (Reconciler:Source)", html, StringComparison.Ordinal);
        Assert.Contains("none has finished yet", html, StringComparison.Ordinal);
        Assert.Contains("Known after the first cycle.", html, StringComparison.Ordinal);
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
