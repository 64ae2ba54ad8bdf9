using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Source;
using Xunit.Abstractions;

namespace Homelab.Tests.Reconciler.StatusPage;

/// <summary>
/// Issue 21: the status page (<c>GET /</c>) as a person's browser shows it: Debian's chromium, headless, against the
/// real reconciler service applying a real Git repository to DCP.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class StatusPageBrowserTests(DcpFixture dcp, ITestOutputHelper output)
{
    private const string Path = "clusters/test";
    private const string Title = "Homelab reconciler";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task The_page_renders_in_chromium_with_the_revision_and_every_object_and_its_health()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        var commit = repository
            .Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a"))
            .Write($"{Path}/b.yaml", Yaml.Executable($"{prefix}-b"))
            // Probed, so its health has a rule; a program that does not exist never starts: Failed at once.
            .Write($"{Path}/c.yaml", Yaml.ProbedExecutable($"{prefix}-c", "/nonexistent/homelab-no-such-program", LoopbackPort.Unused()))
            .Commit("three apps");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["lastReconcileAt"] is not null));

        var dom = await HeadlessChromium.DumpDomAsync(host.Http.BaseAddress!.ToString());

        var status = await host.StatusAsync();
        Assert.Equal("HealthCheckFailed", status["reason"]!.GetValue<string>());
        Assert.Contains($"<title>{Title}</title>", dom, StringComparison.Ordinal);
        Assert.Contains($"main@sha1:{commit}", dom, StringComparison.Ordinal);
        Assert.Contains("""<span id="state" class="badge Failed">Failed</span>""", dom, StringComparison.Ordinal);
        Assert.Contains("""<span id="reason">HealthCheckFailed</span>""", dom, StringComparison.Ordinal);
        Assert.Contains($"""<tr data-object="Executable/{prefix}-a" data-health="Healthy">""", dom, StringComparison.Ordinal);
        Assert.Contains($"""<tr data-object="Executable/{prefix}-b" data-health="Healthy">""", dom, StringComparison.Ordinal);
        Assert.Contains($"""<tr data-object="Executable/{prefix}-c" data-health="Failed">""", dom, StringComparison.Ordinal);
        Assert.Contains("failed to start", dom, StringComparison.Ordinal);
        Assert.Contains("<h2>Objects (3)</h2>", dom, StringComparison.Ordinal);
        Assert.Contains($"<code>{repository.Root}</code>", dom, StringComparison.Ordinal);

        // /status says the same, from the same snapshot.
        var objects = status["objects"]!.AsArray().Select(o => $"{o!["name"]}={o["health"]}").ToList();
        Assert.Equal([$"{prefix}-a=Healthy", $"{prefix}-b=Healthy", $"{prefix}-c=Failed"], objects);
        Assert.Equal("Failed", status["state"]!.GetValue<string>());
        Assert.Equal(repository.Root, status["source"]!["url"]!.GetValue<string>());
        // A failed cycle is retried with back-off: every one so far tried this revision.
        Assert.All(status["cycles"]!.AsArray(), c => Assert.Equal($"main@sha1:{commit}", c!["revision"]!.GetValue<string>()));
    }

    [Fact]
    public async Task After_a_push_the_open_page_reloads_by_itself_and_shows_the_new_revision_and_the_cycle_history()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        var first = repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(host.Http.BaseAddress!.ToString());
        Assert.Equal($"main@sha1:{first}", await TextAsync(browser, "#applied-revision"));
        Assert.Equal(1.0, (await browser.EvaluateAsync("document.querySelectorAll('#cycles tbody tr').length"))!.GetValue<double>());

        var second = repository.Write($"{Path}/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("b");
        using (var reconcile = await host.PostAsync("/reconcile"))
        {
            Assert.True(reconcile.IsSuccessStatusCode);
        }

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["lastAppliedRevision"]!.GetValue<string>() == $"main@sha1:{second}"));

        // Nothing here navigates: the page's own refresh brings the new cycle.
        var reloaded = browser.NextLoadAsync();
        await reloaded.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal($"main@sha1:{second}", await TextAsync(browser, "#applied-revision"));
        var rows = (await browser.EvaluateAsync("[...document.querySelectorAll('#cycles tbody tr')].map(r => r.dataset.revision + ' ' + r.dataset.reason)"))!.AsArray();
        Assert.Equal([$"main@sha1:{second} ReconciliationSucceeded", $"main@sha1:{first} ReconciliationSucceeded"], rows.Select(r => r!.GetValue<string>()));
        Assert.Equal(
            [$"Executable/{prefix}-a=Healthy", $"Executable/{prefix}-b=Healthy"],
            (await browser.EvaluateAsync("[...document.querySelectorAll('#objects tbody tr')].map(r => r.dataset.object + '=' + r.dataset.health)"))!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task A_hostile_name_from_Git_is_shown_as_text_and_runs_nothing()
    {
        const string Hostile = """<script>document.title='pwned'</script><img src=x onerror="document.title='pwned'">""";
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        // A name no API server should take; whether it refuses it (and the message quotes it) or keeps it, the page shows it.
        repository.Write($"{Path}/b.yaml", $"""
            apiVersion: usvc-dev.developer.microsoft.com/v1
            kind: Executable
            metadata:
              name: '{Hostile.Replace("'", "''", StringComparison.Ordinal)}'
            spec:
              executablePath: /bin/sleep
              args: ["600"]

            """).Commit(Hostile);
        using (var reconcile = await host.PostAsync("/reconcile"))
        {
            Assert.True(reconcile.IsSuccessStatusCode);
        }

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["cycles"]!.AsArray().Count == 2));
        await using var browser = await HeadlessChromium.StartAsync();
        // Installed by the DevTools protocol, outside the page's CSP: any violation (an injected script or style) is counted.
        await browser.BeforeEveryPageAsync("window.violations = []; document.addEventListener('securitypolicyviolation', e => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));");
        await browser.NavigateAsync(host.Http.BaseAddress!.ToString());

        output.WriteLine($"the page shows it in: {(await browser.EvaluateAsync("[...document.querySelectorAll('p, td, code')].filter(e => e.textContent.includes(\"document.title='pwned'\")).map(e => e.id || e.dataset.label || e.tagName).join(', ')"))}");
        Assert.Contains(Hostile, await TextAsync(browser, "body"), StringComparison.Ordinal);
        Assert.Equal(Title, (await browser.EvaluateAsync("document.title"))!.GetValue<string>());
        Assert.Equal(0.0, (await browser.EvaluateAsync("document.querySelectorAll('script, img, iframe, object, embed').length"))!.GetValue<double>());
        Assert.Empty((await browser.EvaluateAsync("window.violations"))!.AsArray());
        // The page's own stylesheet is the one the CSP hash allows: it applied.
        Assert.Equal("1152px", (await browser.EvaluateAsync("getComputedStyle(document.body).maxWidth"))!.GetValue<string>());
    }

    [Fact]
    public async Task At_360_px_the_page_fits_the_screen_and_a_screenshot_is_taken()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        for (var i = 0; i < 4; i++)
        {
            repository.Write($"{Path}/{i}.yaml", Yaml.Executable($"{prefix}-with-a-rather-long-name-{i}"));
        }

        repository.Commit("four apps");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        await using var browser = await HeadlessChromium.StartAsync(360, 800);
        await browser.EmulatePhoneAsync(360, 800);
        await browser.NavigateAsync(host.Http.BaseAddress!.ToString());

        Assert.Equal(360.0, (await browser.EvaluateAsync("window.innerWidth"))!.GetValue<double>());
        var scrollWidth = (await browser.EvaluateAsync("document.documentElement.scrollWidth"))!.GetValue<double>();
        Assert.True(scrollWidth <= 360, $"the page is {scrollWidth} px wide at 360 px: it scrolls sideways");
        // One column: the tables' header rows are hidden, each cell labelled.
        Assert.Equal("none", (await browser.EvaluateAsync("getComputedStyle(document.querySelector('#objects thead')).display"))!.GetValue<string>());
        var png = await browser.ScreenshotAsync();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        // The PNG's width (IHDR, big-endian at byte 16) is the phone's.
        Assert.Equal(360, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        var folder = Directory.CreateTempSubdirectory("homelab-page-").FullName;
        await File.WriteAllBytesAsync(System.IO.Path.Combine(folder, "status-page-360.png"), png);

        // A phone in dark mode gets the dark palette, and still no sideways scrolling.
        var light = (await browser.EvaluateAsync("getComputedStyle(document.body).backgroundColor"))!.GetValue<string>();
        await browser.PreferColorSchemeAsync("dark");
        Assert.Equal("rgb(255, 255, 255)", light);
        Assert.Equal("rgb(13, 17, 23)", (await browser.EvaluateAsync("getComputedStyle(document.body).backgroundColor"))!.GetValue<string>());
        Assert.True((await browser.EvaluateAsync("document.documentElement.scrollWidth"))!.GetValue<double>() <= 360);
        await File.WriteAllBytesAsync(System.IO.Path.Combine(folder, "status-page-360-dark.png"), await browser.ScreenshotAsync());
        output.WriteLine($"screenshots: {folder}");
    }

    [Fact]
    public async Task Before_the_first_cycle_and_while_suspended_the_page_says_so()
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{Manifests.Prefix()}-a")).Commit("a");
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        // Suspended since before this start: no cycle runs.
        await File.WriteAllTextAsync(System.IO.Path.Combine(state, "suspended"), "suspended by the test\n");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, TimeSpan.FromSeconds(1), $"--Reconciler:StateDirectory={state}");
        await Task.Delay(TimeSpan.FromSeconds(2));

        var dom = await HeadlessChromium.DumpDomAsync(host.Http.BaseAddress!.ToString());

        Assert.Contains("""<span id="state" class="badge Progressing">Progressing</span>""", dom, StringComparison.Ordinal);
        Assert.Contains("""<span id="suspended" class="badge Suspended">Suspended</span>""", dom, StringComparison.Ordinal);
        Assert.Contains("""<dd id="applied-revision"><span class="muted">none yet</span></dd>""", dom, StringComparison.Ordinal);
        Assert.Contains("None has finished yet.", dom, StringComparison.Ordinal);
        Assert.Contains($"<code>{repository.Root}</code>", dom, StringComparison.Ordinal);
        Assert.Empty((await host.StatusAsync())["cycles"]!.AsArray());
    }

    [Fact]
    public async Task With_the_state_directory_locked_the_page_renders_the_typed_failure()
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{Manifests.Prefix()}-a")).Commit("a");
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        using var held = Homelab.Reconciler.Reconcile.StateLock.TryAcquire(state, "a test holding it", out _);
        Assert.NotNull(held);
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long, $"--Reconciler:StateDirectory={state}");
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["lastReconcileAt"] is not null));

        var dom = await HeadlessChromium.DumpDomAsync(host.Http.BaseAddress!.ToString());

        Assert.Contains("""<span id="state" class="badge Failed">Failed</span>""", dom, StringComparison.Ordinal);
        Assert.Contains("""<span id="reason">StateDirectoryLocked</span>""", dom, StringComparison.Ordinal);
        Assert.Contains("a test holding it", dom, StringComparison.Ordinal);
        Assert.Contains("""<dd id="applied-revision"><span class="muted">none yet</span></dd>""", dom, StringComparison.Ordinal);
        Assert.Contains("<h2>Objects (0)</h2>", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_secret_is_on_the_page_neither_the_token_in_the_source_url_nor_the_api_token_or_webhook_secret()
    {
        var server = new GitHttpBackendShim();
        await server.InitializeAsync();
        try
        {
            var prefix = Manifests.Prefix();
            var repository = GitRepository.Create();
            var commit = repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
            repository.Git("clone", "-q", "--bare", repository.Root, System.IO.Path.Combine(server.ProjectRoot, "page.git"));
            // As a user writes a private GitHub source: a token in the URL's user-info.
            var source = server.UrlOf("page.git").Replace("http://", $"http://x-access-token:{server.Token}@", StringComparison.Ordinal);
            await using var host = await ReconcilerHost.StartAsync(source, Path, dcp.Server.Kubeconfig, Long);
            Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));

            var dom = await HeadlessChromium.DumpDomAsync(host.Http.BaseAddress!.ToString());
            var status = await host.Http.GetStringAsync(new Uri("/status", UriKind.Relative));

            Assert.Contains($"main@sha1:{commit}", dom, StringComparison.Ordinal);
            Assert.Contains($"<code>{server.UrlOf("page.git")}</code>", dom, StringComparison.Ordinal);
            foreach (var secret in new[] { server.Token, ReconcilerHost.ApiToken, ReconcilerHost.WebhookSecret, "x-access-token" })
            {
                Assert.DoesNotContain(secret, dom, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, status, StringComparison.Ordinal);
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<string> TextAsync(HeadlessChromium browser, string selector) =>
        (await browser.EvaluateAsync($"document.querySelector('{selector}').textContent"))!.GetValue<string>();
}
