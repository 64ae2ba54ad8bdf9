using Homelab.AppHost.Navidrome;
using Homelab.Navidrome;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.AppHost.Navidrome;

/// <summary>The local run's first admin, against <see cref="NavidromeStandIn"/> (Navidrome cannot run on this machine).</summary>
public sealed class NavidromeAdminBootstrapperTests
{
    [Fact]
    public async Task Creates_the_first_admin_once_then_leaves_it_alone_against_Navidrome_stand_in()
    {
        await using var navidrome = await NavidromeStandIn.StartAsync();
        using var logs = new CapturingLoggerProvider();
        var bootstrapper = CreateBootstrapper(logs);
        const string password = "s3cret-Xq9-never-logged";

        var first = await bootstrapper.CreateFirstAdminAsync(navidrome.BaseAddress, "admin", password, default);
        var second = await bootstrapper.CreateFirstAdminAsync(navidrome.BaseAddress, "admin", "another-password", default);

        Assert.Equal(FirstAdminResult.Created, first);
        Assert.Equal(FirstAdminResult.AlreadyExists, second);
        Assert.Equal(("admin", password), Assert.Single(navidrome.Users));
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(password, logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_a_refusal_when_navidrome_answers_an_error_against_Navidrome_stand_in()
    {
        await using var navidrome = await NavidromeStandIn.StartAsync();
        navidrome.CreateAdminFailsWith = 500;
        using var logs = new CapturingLoggerProvider();

        var result = await CreateBootstrapper(logs).CreateFirstAdminAsync(navidrome.BaseAddress, "admin", "pw-123456789", default);

        Assert.Equal(FirstAdminResult.Refused, result);
        Assert.Contains("HTTP 500", logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_navidrome_is_an_outcome_not_an_exception()
    {
        using var logs = new CapturingLoggerProvider();
        const string password = "pw-unreachable-987654";

        var result = await CreateBootstrapper(logs).CreateFirstAdminAsync(new Uri($"http://127.0.0.1:{LoopbackPort.Unused()}"), "admin", password, default);

        Assert.Equal(FirstAdminResult.Unreachable, result);
        Assert.DoesNotContain(password, logs.AllText, StringComparison.Ordinal);
    }

    private static NavidromeAdminBootstrapper CreateBootstrapper(CapturingLoggerProvider logs)
    {
        var services = new ServiceCollection().AddHttpClient().AddLogging(l => l.AddProvider(logs)).BuildServiceProvider();
        return new NavidromeAdminBootstrapper(
            services.GetRequiredService<IHttpClientFactory>(),
            services.GetRequiredService<ILogger<NavidromeAdminBootstrapper>>());
    }
}
