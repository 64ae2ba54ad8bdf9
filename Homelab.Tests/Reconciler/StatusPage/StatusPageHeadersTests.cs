using System.Net;
using System.Security.Cryptography;
using System.Text;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.StatusPage;

/// <summary>
/// Issue 21: what the status page answers over plain HTTP, from the real service (observe-only: no cluster needed):
/// HTML that is never cached or sniffed, a CSP that allows its own stylesheet and nothing else, HEAD, no token.
/// </summary>
public sealed class StatusPageHeadersTests
{
    private const string Path = "clusters/test";

    [Fact]
    public async Task The_page_is_html_never_cached_never_sniffed_and_its_csp_allows_only_its_own_stylesheet()
    {
        await using var host = await StartAsync();

        // No token: the page only reads.
        using var response = await host.Http.GetAsync(new Uri("/", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none'; ", csp, StringComparison.Ordinal);
        var style = body[(body.IndexOf("<style>", StringComparison.Ordinal) + "<style>".Length)..body.IndexOf("</style>", StringComparison.Ordinal)];
        Assert.Contains($"style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">", body, StringComparison.Ordinal);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"10\">", body, StringComparison.Ordinal);
        Assert.Contains("prefers-color-scheme:dark", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HEAD_answers_the_same_headers_without_a_body_and_other_methods_are_refused()
    {
        await using var host = await StartAsync();

        using var head = await host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        using var post = await host.Http.PostAsync(new Uri("/", UriKind.Relative), new StringContent(string.Empty));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/html; charset=utf-8", head.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-store", head.Headers.CacheControl!.ToString());
        Assert.Single(head.Headers.GetValues("Content-Security-Policy"));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    private static async Task<ReconcilerHost> StartAsync()
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable("a")).Commit("a");
        var nowhere = System.IO.Path.Combine(Directory.CreateTempSubdirectory("homelab-kube-").FullName, "missing");
        return await ReconcilerHost.StartAsync(repository.Root, Path, nowhere, TimeSpan.FromMinutes(10));
    }
}
