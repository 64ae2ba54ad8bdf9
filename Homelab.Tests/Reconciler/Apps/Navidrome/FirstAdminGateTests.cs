using System.Globalization;
using System.Net;
using Homelab.Navidrome;
using Homelab.Reconciler.Apps.Navidrome;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Apps.Navidrome;

/// <summary>
/// The cluster's first-admin sidecar, in-process, against <see cref="NavidromeStandIn"/>: a real HTTP server
/// with Navidrome's createAdmin rule (Navidrome itself cannot run on this machine).
/// </summary>
public sealed class FirstAdminGateTests
{
    private const string User = "owner-admin";
    private const string Password = "Pw-Secret-4f8a2c-never-logged";
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Creates_the_admin_with_the_secret_credentials_and_is_ready_only_after_against_Navidrome_stand_in()
    {
        await using var navidrome = await NavidromeStandIn.StartAsync(up: false);
        await using var gate = await GateRun.StartAsync(navidrome.BaseAddress.ToString());

        await Eventually(() => Task.FromResult(navidrome.Pings >= 3), "the sidecar never polled /ping");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await gate.GetAsync("/ready"));
        Assert.Equal(HttpStatusCode.OK, await gate.GetAsync("/alive"));
        Assert.Equal(0, navidrome.CreateAdminPosts);

        navidrome.Up = true;
        await Eventually(async () => await gate.GetAsync("/ready") == HttpStatusCode.OK, "never ready after Navidrome came up");

        Assert.Equal((User, Password), Assert.Single(navidrome.Users));
        Assert.Equal(1, navidrome.CreateAdminPosts);
        Assert.Contains("Created Navidrome's first admin 'owner-admin'; ready", await gate.StopAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, gate.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_navidrome_that_already_has_a_user_is_left_alone_and_the_pod_turns_ready_against_Navidrome_stand_in()
    {
        await using var navidrome = await NavidromeStandIn.StartAsync(up: true, ("owner", "set-up-by-the-owner"));
        await using var gate = await GateRun.StartAsync(navidrome.BaseAddress.ToString());

        await Eventually(async () => await gate.GetAsync("/ready") == HttpStatusCode.OK, "never ready although a user exists");
        await Task.Delay(Retry * 5);

        Assert.Equal(("owner", "set-up-by-the-owner"), Assert.Single(navidrome.Users));
        Assert.Equal(1, navidrome.CreateAdminPosts);
        Assert.Contains("already has a user", await gate.StopAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Never_ready_while_createAdmin_fails_retried_until_it_succeeds_against_Navidrome_stand_in()
    {
        await using var navidrome = await NavidromeStandIn.StartAsync();
        navidrome.CreateAdminFailsWith = 500;
        await using var gate = await GateRun.StartAsync(navidrome.BaseAddress.ToString());

        while (navidrome.CreateAdminPosts < 5)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await gate.GetAsync("/ready"));
            await Task.Delay(Retry / 2);
        }

        Assert.Empty(navidrome.Users);
        navidrome.CreateAdminFailsWith = null;
        await Eventually(async () => await gate.GetAsync("/ready") == HttpStatusCode.OK, "never ready once createAdmin worked");
        Assert.Equal((User, Password), Assert.Single(navidrome.Users));
        var log = await gate.StopAsync();
        // One line per change of state, not one per retry.
        Assert.Single(log.Split('\n'), l => l.Contains("HTTP 500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Never_ready_when_nothing_answers()
    {
        await using var gate = await GateRun.StartAsync($"http://127.0.0.1:{LoopbackPort.Unused().ToString(CultureInfo.InvariantCulture)}");

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await gate.GetAsync("/ready"));
            await Task.Delay(Retry);
        }

        Assert.Equal(HttpStatusCode.OK, await gate.GetAsync("/alive"));
        Assert.Equal(HttpStatusCode.NotFound, await gate.GetAsync("/anything-else"));
        Assert.Contains("not up yet", await gate.StopAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_name_each_missing_or_bad_setting_and_never_a_value()
    {
        var options = new FirstAdminGateOptions { Url = "not a url", ReadyPort = 0, User = " ", Password = string.Empty };

        var problems = options.Validate();

        Assert.Equal(
            ["--url must be an absolute http(s) address", "--ready-port must be between 1 and 65535", $"{FirstAdminSecret.UserVariable} is not set", $"{FirstAdminSecret.PasswordVariable} is not set"],
            problems);
        Assert.Empty(new FirstAdminGateOptions { Url = "http://127.0.0.1:4533", ReadyPort = 4599, User = User, Password = Password }.Validate());
    }

    [Fact]
    public async Task A_ready_port_in_use_is_an_error_value()
    {
        await using var first = ReadinessEndpoint.TryStart(0, out _);
        Assert.NotNull(first);

        var second = ReadinessEndpoint.TryStart(first.Port, out var error);

        Assert.Null(second);
        Assert.Contains($"cannot listen on port {first.Port.ToString(CultureInfo.InvariantCulture)}", error, StringComparison.Ordinal);
    }

    private static async Task Eventually(Func<Task<bool>> condition, string message)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, message);
            await Task.Delay(50);
        }
    }

    /// <summary>The gate running in the background with its readiness endpoint, its log kept.</summary>
    private sealed class GateRun : IAsyncDisposable
    {
        private readonly StringWriter _log = new(CultureInfo.InvariantCulture);
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
        private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(5) };
        private readonly CancellationTokenSource _stop = new();
        private ReadinessEndpoint _readiness = null!;
        private Task _run = Task.CompletedTask;

        public string Log => _log.ToString();

        public static Task<GateRun> StartAsync(string url)
        {
            var run = new GateRun();
            run._readiness = ReadinessEndpoint.TryStart(0, out var error) ?? throw new InvalidOperationException(error);
            var options = new FirstAdminGateOptions { Url = url, ReadyPort = run._readiness.Port, User = User, Password = Password, RetryDelay = Retry };
            Assert.Empty(options.Validate());
            run._run = new FirstAdminGate(new FirstAdminClient(run._http), options, TextWriter.Synchronized(run._log)).RunAsync(run._readiness, run._stop.Token);
            return Task.FromResult(run);
        }

        public async Task<HttpStatusCode> GetAsync(string path)
        {
            using var response = await _probe.GetAsync(new Uri($"http://127.0.0.1:{_readiness.Port.ToString(CultureInfo.InvariantCulture)}{path}"));
            return response.StatusCode;
        }

        /// <summary>Cancels (SIGTERM) and returns the log.</summary>
        public async Task<string> StopAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
            return Log;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
            await _readiness.DisposeAsync();
            _stop.Dispose();
            _http.Dispose();
            _probe.Dispose();
            _log.Dispose();
        }
    }
}
