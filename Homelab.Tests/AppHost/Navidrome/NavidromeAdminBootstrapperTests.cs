using System.Net;
using System.Text.Json;
using Homelab.AppHost.Navidrome;
using Homelab.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.AppHost.Navidrome;

/// <summary>
/// Navidrome cannot run on this machine (no image, no package), so these tests speak to a fake
/// Navidrome on loopback that follows its documented createAdmin rule: allowed only while no user exists.
/// </summary>
public sealed class NavidromeAdminBootstrapperTests
{
    [Fact]
    public async Task Creates_the_first_admin_once_then_leaves_it_alone_against_a_fake_navidrome()
    {
        await using var fake = await FakeNavidrome.StartAsync();
        using var logs = new CapturingLoggerProvider();
        var bootstrapper = CreateBootstrapper(logs);
        const string password = "s3cret-Xq9-never-logged";

        var first = await bootstrapper.CreateFirstAdminAsync(fake.BaseAddress, "admin", password, default);
        var second = await bootstrapper.CreateFirstAdminAsync(fake.BaseAddress, "admin", "another-password", default);

        Assert.Equal(FirstAdminResult.Created, first);
        Assert.Equal(FirstAdminResult.AlreadyExists, second);
        Assert.Equal(("admin", password), Assert.Single(fake.Users));
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(password, logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_failure_when_navidrome_answers_an_error_against_a_fake_navidrome()
    {
        await using var fake = await FakeNavidrome.StartAsync(failWith: HttpStatusCode.InternalServerError);
        using var logs = new CapturingLoggerProvider();

        var result = await CreateBootstrapper(logs).CreateFirstAdminAsync(fake.BaseAddress, "admin", "pw-123456789", default);

        Assert.Equal(FirstAdminResult.Failed, result);
        Assert.Contains("HTTP 500", logs.AllText, StringComparison.Ordinal);
    }

    private static NavidromeAdminBootstrapper CreateBootstrapper(CapturingLoggerProvider logs)
    {
        var services = new ServiceCollection().AddHttpClient().AddLogging(l => l.AddProvider(logs)).BuildServiceProvider();
        return new NavidromeAdminBootstrapper(
            services.GetRequiredService<IHttpClientFactory>(),
            services.GetRequiredService<ILogger<NavidromeAdminBootstrapper>>());
    }

    private sealed class FakeNavidrome : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeNavidrome(WebApplication app) => _app = app;

        public List<(string User, string Password)> Users { get; } = [];

        public Uri BaseAddress => new(_app.Urls.First());

        public static async Task<FakeNavidrome> StartAsync(HttpStatusCode? failWith = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var fake = new FakeNavidrome(app);
            app.MapPost("/auth/createAdmin", async (HttpContext context) =>
            {
                if (failWith is { } status)
                {
                    return Results.StatusCode((int)status);
                }

                if (fake.Users.Count > 0)
                {
                    return Results.StatusCode(StatusCodes.Status403Forbidden);
                }

                using var body = await JsonDocument.ParseAsync(context.Request.Body);
                fake.Users.Add((body.RootElement.GetProperty("username").GetString()!, body.RootElement.GetProperty("password").GetString()!));
                return Results.Ok();
            });
            await app.StartAsync();
            return fake;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
