using System.Globalization;
using System.Net;
using Homelab.Navidrome;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Cli;

namespace Homelab.Tests.Reconciler.Apps.Navidrome;

/// <summary>
/// `dotnet Homelab.Reconciler.dll navidrome-first-admin`, as the pod runs it: a real process with the
/// credentials in its environment, against <see cref="NavidromeStandIn"/> (Navidrome cannot run on this machine).
/// </summary>
public sealed class FirstAdminVerbTests
{
    [Fact]
    public async Task The_verb_creates_the_admin_turns_ready_keeps_the_password_out_of_argv_and_output_and_ends_on_sigterm_against_Navidrome_stand_in()
    {
        await using var navidrome = await NavidromeStandIn.StartAsync();
        var password = $"Pw-{Guid.NewGuid():N}";
        var port = LoopbackPort.Unused();
        var dll = TestPaths.ReconcilerDll;
        using var process = ProcessRunner.Start(
            "dotnet",
            [dll, "navidrome-first-admin", "--url", navidrome.BaseAddress.ToString(), "--ready-port", port.ToString(CultureInfo.InvariantCulture)],
            environment: new Dictionary<string, string?> { [FirstAdminSecret.UserVariable] = "admin", [FirstAdminSecret.PasswordVariable] = password });
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await StatusAsync(http, port) != HttpStatusCode.OK)
            {
                Assert.True(DateTime.UtcNow < deadline && !process.HasExited, $"never ready: {(process.HasExited ? await error : "still running")}");
                await Task.Delay(100);
            }

            Assert.Equal(("admin", password), Assert.Single(navidrome.Users));
            var argv = (await File.ReadAllTextAsync($"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/cmdline")).Replace('\0', ' ');
            Assert.Contains("navidrome-first-admin", argv, StringComparison.Ordinal);
            Assert.DoesNotContain(password, argv, StringComparison.Ordinal);

            // What the kubelet sends when the pod stops.
            await ProcessRunner.RunToExitAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, process.ExitCode);
            var printed = await output + await error;
            Assert.Contains("Created Navidrome's first admin 'admin'; ready", printed, StringComparison.Ordinal);
            Assert.DoesNotContain(password, printed, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Without_the_credentials_in_the_environment_the_verb_stops_with_one_error_naming_them()
    {
        Assert.Null(Environment.GetEnvironmentVariable(FirstAdminSecret.PasswordVariable));

        var result = await ReconcileOnceTests.RunCliAsync("navidrome-first-admin", "--url", "http://127.0.0.1:4533", "--ready-port", LoopbackPort.Unused().ToString(CultureInfo.InvariantCulture));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{FirstAdminSecret.PasswordVariable} is not set", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task The_verb_takes_no_password_argument()
    {
        var result = await ReconcileOnceTests.RunCliAsync("navidrome-first-admin", "--url", "http://127.0.0.1:4533", "--ready-port", "4599", "--password", "x");

        Assert.NotEqual(0, result.ExitCode);
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, int port)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/ready"));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
