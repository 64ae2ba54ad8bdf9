using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Cli;

namespace Homelab.Tests.Native;

/// <summary>
/// Smoke tests of the native executable the image ships: what reflection-free code could get wrong
/// (YAML output, kubeconfig loading, the inventory file, the web host's JSON) against the JIT build.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class NativeReconcilerTests(DcpFixture dcp, NativeReconcilerFixture native) : IClassFixture<NativeReconcilerFixture>
{
    private const string ClusterPath = "clusters/test";

    [Fact]
    public async Task Build_prints_what_the_jit_build_prints()
    {
        var repository = GitRepository.Create()
            .Write($"{ClusterPath}/kustomization.yaml", "namePrefix: n-\ncommonLabels:\n  app: demo\nresources: [a.yaml, b.yaml]\nconfigMapGenerator:\n- name: settings\n  literals: [mode=on, count=3]\n")
            .Write($"{ClusterPath}/a.yaml", Yaml.Executable("a"))
            .Write($"{ClusterPath}/b.yaml", Yaml.Executable("b", 700));
        var directory = Path.Combine(repository.Root, ClusterPath);

        var built = await ProcessRunner.RunToExitAsync(native.Executable, ["build", directory]);
        var expected = await ReconcileOnceTests.RunCliAsync("build", directory);

        Assert.Equal(0, built.ExitCode);
        Assert.Equal(expected.Output, built.Output);
        Assert.Contains("name: n-settings-", built.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_once_applies_then_finds_everything_unchanged_also_for_the_jit_build()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        repository.Write($"{ClusterPath}/a.yaml", Yaml.Executable($"{prefix}-a")).Write($"{ClusterPath}/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("two apps");
        string[] once = ["reconcile", "--once", "--source", repository.Root, "--path", ClusterPath, "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", state, "--quiet"];

        var first = await ProcessRunner.RunToExitAsync(native.Executable, once);
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains($"Executable/{prefix}-a created", first.Output, StringComparison.Ordinal);

        // The inventory the native build wrote is the one the JIT build reads, and the other way round.
        var jit = await ReconcileOnceTests.RunCliAsync(once);
        Assert.Equal(0, jit.ExitCode);
        Assert.Contains($"Executable/{prefix}-b unchanged", jit.Output, StringComparison.Ordinal);

        repository.Delete($"{ClusterPath}/b.yaml").Commit("drop b");
        var pruned = await ProcessRunner.RunToExitAsync(native.Executable, once);
        Assert.True(pruned.ExitCode == 0, pruned.Output + pruned.Error);
        Assert.Contains($"Executable/{prefix}-a unchanged", pruned.Output, StringComparison.Ordinal);
        Assert.Contains($"Executable/{prefix}-b deleted", pruned.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_git_servers_ca_from_ca_file_is_trusted_and_without_it_the_fetch_fails_on_the_certificate()
    {
        // libgit2 is given the CA through a function pointer found at run time: what a native build could get wrong.
        using var ca = new TestCertificateAuthority();
        var server = new Homelab.Tests.Reconciler.Source.GitHttpBackendShim { Certificate = ca.IssueServerCertificate("localhost") };
        await server.InitializeAsync();
        try
        {
            var prefix = Manifests.Prefix();
            using var upstream = new Homelab.Tests.Reconciler.Source.GitTestRepository(server.ProjectRoot);
            upstream.Commit($"{ClusterPath}/a.yaml", Yaml.Executable($"{prefix}-a"));
            server.MakePublic(upstream.Name);
            string[] once = ["reconcile", "--once", "--source", server.UrlOf(upstream.Name, "localhost"), "--path", ClusterPath, "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", Directory.CreateTempSubdirectory("homelab-state-").FullName, "--quiet"];

            var untrusted = await ProcessRunner.RunToExitAsync(native.Executable, once);
            var trusted = await ProcessRunner.RunToExitAsync(native.Executable, [.. once, "--ca-file", ca.PemFile]);

            Assert.Equal(1, untrusted.ExitCode);
            Assert.Contains("ArtifactFailed", untrusted.Output, StringComparison.Ordinal);
            Assert.Contains("certificate", untrusted.Output, StringComparison.OrdinalIgnoreCase);
            Assert.True(trusted.ExitCode == 0, trusted.Output + trusted.Error);
            Assert.Contains($"Executable/{prefix}-a created", trusted.Output, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Run_answers_status_and_guards_reconcile_with_its_token()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{ClusterPath}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        var revision = repository.Git("rev-parse", "HEAD").Trim();
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var (run, http) = StartRun(repository, state);
        using var running = run;
        using var client = http;
        try
        {
            var status = await ReadyStatusAsync(run, http);
            Assert.Equal($"main@sha1:{revision}", status!["lastAppliedRevision"]!.GetValue<string>());
            Assert.Equal(1, status["inventory"]!["Executable"]!.GetValue<int>());
            Assert.NotNull(status["lastDuration"]);

            using var anonymous = await http.PostAsync(new Uri("/reconcile", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains("\"message\":", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/reconcile", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "native-test-token-0123456789");
            using var accepted = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            Assert.Equal("reconcile requested", (JsonNode.Parse(await accepted.Content.ReadAsStringAsync())?["message"])?.GetValue<string>());

            using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

            // Issue 21: the status page, natively compiled (no Razor, no reflection), in a real browser.
            var page = await HeadlessChromium.DumpDomAsync(http.BaseAddress!.ToString());
            Assert.Contains($"main@sha1:{revision}", page, StringComparison.Ordinal);
            Assert.Contains($"""<tr data-object="Executable/{prefix}-a" data-health="Healthy">""", page, StringComparison.Ordinal);
        }
        finally
        {
            run.Kill();
            await run.WaitForExitAsync();
        }
    }

    /// <summary>
    /// The native executable is published without EventSource (smaller, less idle memory): logs, traces and metrics,
    /// the runtime's own included, still reach the dashboard over OTLP.
    /// </summary>
    [Fact]
    public async Task Run_exports_logs_traces_and_metrics_over_otlp_without_EventSource()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{ClusterPath}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        await using var collector = await LoopbackReceiver.StartAsync();
        var (run, http) = StartRun(repository, Directory.CreateTempSubdirectory("homelab-state-").FullName, new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "500",
        });
        using var running = run;
        using var client = http;
        try
        {
            await ReadyStatusAsync(run, http);
            // Protobuf bodies read as text: instrument and span names are plain ASCII in them.
            bool Received(string path, string text) =>
                collector.Requests.Any(r => r.Path == path && r.Body.Contains(text, StringComparison.Ordinal));
            Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(
                Received("/v1/metrics", "homelab.reconcile.duration") && Received("/v1/metrics", "dotnet.gc.collections")
                && Received("/v1/traces", "reconcile") && Received("/v1/logs", "Applied revision"))));
        }
        finally
        {
            run.Kill();
            await run.WaitForExitAsync();
        }
    }

    /// <summary>The native <c>run</c> on a free loopback port, following <paramref name="repository"/> into DCP.</summary>
    private (Process Run, HttpClient Http) StartRun(GitRepository repository, string state, Dictionary<string, string?>? environment = null)
    {
        var port = LoopbackPort.Unused();
        var settings = new Dictionary<string, string?>(environment ?? [])
        {
            ["Reconciler__Source"] = repository.Root,
            ["Reconciler__Path"] = ClusterPath,
            ["Reconciler__Kubeconfig"] = dcp.Server.Kubeconfig,
            ["Reconciler__StateDirectory"] = state,
            ["Reconciler__ApiToken"] = "native-test-token-0123456789",
        };
        var run = ProcessRunner.Start(native.Executable, ["run", "--urls", $"http://127.0.0.1:{port}"], environment: settings);
        run.OutputDataReceived += (_, _) => { };
        run.ErrorDataReceived += (_, _) => { };
        run.BeginOutputReadLine();
        run.BeginErrorReadLine();
        return (run, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) });
    }

    /// <summary>The status once the first cycle succeeded.</summary>
    private static async Task<JsonObject> ReadyStatusAsync(Process run, HttpClient http)
    {
        JsonObject? status = null;
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(60), async () =>
        {
            try
            {
                status = JsonNode.Parse(await http.GetStringAsync(new Uri("/status", UriKind.Relative))) as JsonObject;
                return status?["ready"]?.GetValue<bool>() == true;
            }
            catch (HttpRequestException)
            {
                return !run.HasExited ? false : throw new InvalidOperationException($"the native reconciler exited with {run.ExitCode}");
            }
        }));
        return status!;
    }
}
