using System.Diagnostics;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Cli;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Reconciler.Safety;

/// <summary>
/// Every secret the reconciler holds (API token, webhook secret, Git token, credentials in the source URL)
/// is searched for in everything it emits: logs at Trace level, spans and their tags and events, /status,
/// HTTP answers and CLI output.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class SecretLeakTests(DcpFixture dcp)
{
    [Fact]
    public async Task No_secret_appears_in_logs_spans_status_answers_or_cli_output()
    {
        const string urlPassword = "url-pass-7f3a9c2e1b";
        const string gitToken = "git-token-5d8e2a7c4f";
        var source = $"https://homelab:{urlPassword}@127.0.0.1:{LoopbackPort.Unused()}/homelab.git";
        string[] secrets = [ReconcilerHost.ApiToken, ReconcilerHost.WebhookSecret, urlPassword, gitToken];
        Environment.SetEnvironmentVariable("HOMELAB_TEST_GIT_TOKEN", gitToken);
        using var logs = new CapturingLoggerProvider();
        var spans = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add($"{a.DisplayName} {a.StatusDescription} {string.Join(' ', a.TagObjects.Select(t => $"{t.Key}={t.Value}"))} {string.Join(' ', a.Events.Select(e => e.Name + string.Join(' ', e.Tags.Select(t => t.Value))))}");
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var outputs = new List<string>();
        await using (var host = await ReconcilerHost.StartAsync(source, "clusters/test", dcp.Server.Kubeconfig, TimeSpan.FromMinutes(10),
            builder => builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace),
            "--Reconciler:TokenEnvironmentVariable=HOMELAB_TEST_GIT_TOKEN", "--Logging:LogLevel:Default=Trace"))
        {
            Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["reason"]?.GetValue<string>() == "ArtifactFailed"));
            outputs.Add((await host.StatusAsync()).ToJsonString());
            foreach (var token in new[] { ReconcilerHost.ApiToken, "wrong" })
            {
                using var reconcile = await host.PostAsync("/reconcile", token);
                outputs.Add(await reconcile.Content.ReadAsStringAsync());
            }

            using (var forged = await host.PushWebhookAsync("""{"ref":"refs/heads/main"}""", secret: "forged"))
            {
                outputs.Add(await forged.Content.ReadAsStringAsync());
            }

            using var health = await host.Http.GetAsync(new Uri("/health", UriKind.Relative));
            outputs.Add(await health.Content.ReadAsStringAsync());
            var status = await ReconcileOnceTests.RunCliAsync("status", "--url", host.Http.BaseAddress!.ToString());
            outputs.Add(status.Output);
        }

        var once = await ReconcileOnceTests.RunCliAsync("reconcile", "--once", "--source", source, "--path", "clusters/test", "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", Directory.CreateTempSubdirectory("homelab-state-").FullName);
        outputs.Add(once.Output);
        var diff = await ReconcileOnceTests.RunCliAsync("diff", "--source", source, "--path", "clusters/test", "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", Directory.CreateTempSubdirectory("homelab-state-").FullName);
        outputs.Add(diff.Output);
        Environment.SetEnvironmentVariable("HOMELAB_TEST_GIT_TOKEN", null);

        // Something was emitted everywhere (the search is not vacuous): the failing fetch is named in each.
        Assert.Contains(logs.Lines, l => l.Contains("127.0.0.1", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.StartsWith("fetch", StringComparison.Ordinal));
        Assert.Contains("ArtifactFailed", once.Output, StringComparison.Ordinal);
        var everything = string.Join('\n', [logs.AllText, .. spans, .. outputs]);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }
}
