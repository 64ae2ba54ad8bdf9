using System.Security.Cryptography;
using System.Text;

namespace Homelab.Reconciler.StatusPage;

/// <summary>
/// The page's only stylesheet, inline, and the Content-Security-Policy that allows exactly it (by its hash) and
/// nothing else: no script, no image, no frame, no form, no other origin. Phone first: one column under 40rem,
/// tables turn into labelled lines, long revisions wrap; dark when the system is.
/// </summary>
internal static class StatusPageStyle
{
    public const string Css = """
        :root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--ok:#1a7f37;--warn:#9a6700;--bad:#d1242f;--unknown:#59636e}
        @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;--ok:#3fb950;--warn:#d29922;--bad:#f85149;--unknown:#9198a1}}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0 auto;max-width:72rem;padding:1rem;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg);overflow-wrap:anywhere}
        h1{font-size:1.35rem;margin:0 0 .5rem}
        h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
        p{margin:.4rem 0}
        a{color:inherit}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
        .badge{display:inline-block;padding:0 .5rem;border:1px solid currentColor;border-radius:1rem;font-weight:600;font-size:.85rem;white-space:nowrap}
        .Ready,.Healthy{color:var(--ok)}
        .Progressing,.Suspended{color:var(--warn)}
        .Failed,.Degraded,.Missing{color:var(--bad)}
        .Unknown,.ObserveOnly{color:var(--unknown)}
        .muted{color:var(--muted)}
        .alert{border:1px solid var(--bad);border-radius:.5rem;padding:.25rem .75rem;background:var(--card)}
        dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25rem 1rem;margin:0}
        dt{color:var(--muted)}
        dd{margin:0;min-width:0}
        table{width:100%;border-collapse:collapse;table-layout:fixed}
        th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
        th{color:var(--muted);font-weight:600}
        footer{margin-top:1.5rem;font-size:.85rem;color:var(--muted)}
        @media (max-width:40rem){
        body{padding:.75rem}
        dl{grid-template-columns:minmax(0,1fr)}
        dd{margin-bottom:.4rem}
        thead{display:none}
        table,tbody,tr,td{display:block;width:100%}
        tr{border-bottom:1px solid var(--line);padding:.35rem 0}
        td{border:0;padding:.05rem 0}
        td[data-label]::before{content:attr(data-label) ": ";color:var(--muted)}
        }
        """;

    /// <summary>default-src 'none' and this stylesheet by hash: an injected script or style would not run even if one got through.</summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}
