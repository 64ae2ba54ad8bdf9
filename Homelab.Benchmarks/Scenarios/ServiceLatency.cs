using Homelab.Reconciler.Host;
using Homelab.Tests.Infrastructure;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Benchmarks.Report;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>
/// The <c>run</c> host (in-process, <see cref="ReconcilerService.Build"/>, interval 1 h so only triggers act):
/// push-to-applied through the signed GitHub webhook, and drift repair after <c>kubectl delete</c>.
/// </summary>
internal static class ServiceLatency
{
    private const string Secret = "bench-webhook-secret";
    private static readonly TimeSpan ObjectTimeout = TimeSpan.FromSeconds(15);

    public static async Task RunAsync(BenchCluster cluster, BenchmarkSettings settings, string work, BenchmarkReport report)
    {
        var port = FreePort.Next();
        var app = ReconcilerService.Build(
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--Reconciler:Source={cluster.Repository.Bare}",
            "--Reconciler:Ref=main",
            $"--Reconciler:Path={BenchRepository.ClusterPath}",
            $"--Reconciler:Kubeconfig={cluster.Server.Kubeconfig}",
            $"--Reconciler:StateDirectory={Path.Combine(work, "state-service")}",
            "--Reconciler:Interval=01:00:00",
            $"--Reconciler:WebhookSecret={Secret}",
            "--Logging:LogLevel:Default=Warning",
            // Its log goes to stderr with the benchmark's progress: stdout is the Markdown report.
            "--Logging:Console:LogToStandardErrorThreshold=Trace",
        ]);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            var status = new StatusPoller(http);
            await status.WaitForCycleAsync(DateTimeOffset.MinValue, null, TimeSpan.FromMinutes(5));
            using var api = cluster.Server.Connect();
            var mapping = await new ApiDiscovery(api).GetAsync(BenchRepository.DcpApiVersion, "Executable", default);

            await MeasureWebhookAsync(cluster, settings, report, http, status, api, mapping);
            await MeasureDriftAsync(cluster, settings, report, status, api, mapping);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task MeasureWebhookAsync(BenchCluster cluster, BenchmarkSettings settings, BenchmarkReport report, HttpClient http, StatusPoller status, KubeApi api, ResourceMapping mapping)
    {
        var samples = new List<double>();
        for (var i = 0; i < settings.Pushes; i++)
        {
            var name = $"pushed-{i:D3}";
            cluster.Repository.WriteManifest(name);
            var commit = await cluster.Repository.CommitAndPushAsync($"add {name}");
            var body = Encoding.UTF8.GetBytes($$"""{"ref":"refs/heads/main","after":"{{commit}}"}""");
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/hooks/github", UriKind.Relative)) { Content = content };
            request.Headers.Add("X-GitHub-Event", "push");
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)));

            var pushedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            if (!await WaitForAsync(api, mapping.ObjectPath(null, name), exists: true, clock, ObjectTimeout))
            {
                throw new TimeoutException($"{name} (commit {commit}) was not applied within {ObjectTimeout.TotalSeconds:0} s of the webhook");
            }

            samples.Add(clock.Elapsed.TotalMilliseconds);
            // Pushes are spaced: the next one comes after this cycle has finished.
            await status.WaitForCycleAsync(pushedAt, commit, TimeSpan.FromMinutes(2));
        }

        var scenario = $"push to applied via webhook ({settings.Pushes} pushes, {cluster.Objects}+ objects)";
        var p50 = Percentiles.Of(samples, 50);
        report.Add(new Measurement(scenario, "latency p50", p50, "ms", Target: "p50 < 1 s", Met: p50 < 1000,
            Note: "from POST /hooks/github (after git push) until GET of the new object answers 200"));
        report.Add(new Measurement(scenario, "latency p95", Percentiles.Of(samples, 95), "ms"));
    }

    private static async Task MeasureDriftAsync(BenchCluster cluster, BenchmarkSettings settings, BenchmarkReport report, StatusPoller status, KubeApi api, ResourceMapping mapping)
    {
        var samples = new List<double>();
        var missed = new List<string>();
        var step = Math.Max(1, cluster.Objects / settings.Deletions);
        for (var i = 0; i < settings.Deletions; i++)
        {
            var name = BenchRepository.Name(BenchmarkSettings.Prefix, i * step);
            var deletedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            await ExternalCommand.RunAsync("kubectl", ["--kubeconfig", cluster.Server.Kubeconfig, "delete", "executable", name]);
            if (await WaitForAsync(api, mapping.ObjectPath(null, name), exists: true, clock, ObjectTimeout))
            {
                samples.Add(clock.Elapsed.TotalMilliseconds);
            }
            else
            {
                missed.Add(name);
                continue;
            }

            // The repair cycle finishes (status recorded) before the next deletion, plus the pause a person would take.
            await status.WaitForCycleAsync(deletedAt, null, TimeSpan.FromMinutes(2));
            await Task.Delay(500);
        }

        var scenario = $"drift repair after kubectl delete ({settings.Deletions} deletions, {cluster.Objects}+ objects)";
        var p50 = Percentiles.Of(samples, 50);
        var note = "from the start of `kubectl delete` (includes kubectl's own ~0.1 s start) until GET answers 200 again";
        if (missed.Count > 0)
        {
            note += $"; NOT repaired within {ObjectTimeout.TotalSeconds:0} s: {missed.Count} of {settings.Deletions} ({string.Join(", ", missed)}), excluded from the percentiles";
        }

        report.Add(new Measurement(scenario, "latency p50", p50, "ms", Target: "p50 < 2 s, all repaired", Met: p50 < 2000 && missed.Count == 0, Note: note));
        report.Add(new Measurement(scenario, "latency p95", Percentiles.Of(samples, 95), "ms"));
        report.Add(new Measurement(scenario, "deletions not repaired in 15 s", missed.Count, "", Target: "0", Met: missed.Count == 0));
    }

    /// <summary>Polls the object every 10 ms until it exists (or not), or the timeout passes.</summary>
    private static async Task<bool> WaitForAsync(KubeApi api, string objectPath, bool exists, Stopwatch clock, TimeSpan timeout)
    {
        while (clock.Elapsed < timeout)
        {
            bool found;
            try
            {
                found = await api.GetAsync(objectPath, default) is not null;
            }
            catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                found = false;
            }

            if (found == exists)
            {
                return true;
            }

            await Task.Delay(10);
        }

        return false;
    }
}
