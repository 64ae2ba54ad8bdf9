using Homelab.Reconciler.Host;
using Homelab.Reconciler.Notifications;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Homelab.Tests.Reconciler.Notifications;

/// <summary><c>Reconciler:Notify:*</c> is checked at start like every other setting: one line naming it, exit code 2.</summary>
public sealed class NotifyOptionsValidatorTests
{
    private static readonly string TokenFile = TokenFileWith("tk_0123456789abcdef");

    internal static string TokenFileWith(string token)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("homelab-notify-").FullName, "token");
        File.WriteAllText(file, token + "\n");
        return file;
    }

    [Fact]
    public void Without_a_url_notifications_are_off_and_nothing_else_is_checked()
    {
        var off = new NotifyOptions { Kind = "nonsense", TokenFile = "/nowhere/token" };

        Assert.False(off.Enabled);
        Assert.True(new NotifyOptionsValidator().Validate(null, off).Succeeded);
        Assert.True(new NotifyOptionsValidator().Validate(null, new NotifyOptions()).Succeeded);
    }

    [Theory]
    [InlineData("ntfy", NotifyProvider.Ntfy)]
    [InlineData("Gotify", NotifyProvider.Gotify)]
    [InlineData("apprise", NotifyProvider.Apprise)]
    [InlineData(" webhook ", NotifyProvider.Webhook)]
    public void Each_kind_with_an_http_url_passes(string kind, NotifyProvider provider)
    {
        var options = new NotifyOptions { Url = "https://push.example.com/homelab", Kind = kind, TokenFile = TokenFile };

        Assert.True(new NotifyOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(provider, options.Provider);
    }

    [Theory]
    [InlineData("ftp://push.example.com/homelab", "ntfy", null, "Reconciler:Notify:Url must be an absolute http:// or https:// URL (got 'ftp://push.example.com/homelab')")]
    [InlineData("push.example.com/homelab", "ntfy", null, "Reconciler:Notify:Url must be an absolute http:// or https:// URL (got 'push.example.com/homelab')")]
    [InlineData("https://push.example.com/homelab", "slack", null, "Reconciler:Notify:Kind must be one of ntfy, gotify, apprise, webhook (got 'slack')")]
    [InlineData("https://push.example.com/homelab", null, null, "Reconciler:Notify:Kind must be one of ntfy, gotify, apprise, webhook (got '')")]
    [InlineData("https://push.example.com/homelab", "ntfy", "/nowhere/notify-token", "Reconciler:Notify:TokenFile must be a readable file holding the token (got '/nowhere/notify-token')")]
    [InlineData("https://gotify.example.com", "gotify", null, "Reconciler:Notify:TokenFile must name the file holding the Gotify app token")]
    public void A_bad_setting_is_refused_in_a_line_naming_it(string url, string? kind, string? tokenFile, string expected)
    {
        var result = new NotifyOptionsValidator().Validate(null, new NotifyOptions { Url = url, Kind = kind, TokenFile = tokenFile });

        Assert.StartsWith(expected, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void A_url_with_credentials_is_never_repeated_with_them()
    {
        var result = new NotifyOptionsValidator().Validate(null, new NotifyOptions { Url = "ftp://user:s3cret-password@push.example.com/x", Kind = "webhook" });

        Assert.DoesNotContain("s3cret-password", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_refuses_to_start_on_a_bad_notify_setting()
    {
        var app = ReconcilerService.Build(["--urls=http://127.0.0.1:0", "--Reconciler:Source=/nowhere", "--Reconciler:Notify:Url=https://ntfy.example.com/homelab", "--Reconciler:Notify:Kind=pager", "--Logging:LogLevel:Default=None"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Reconciler:Notify:Kind must be one of ntfy, gotify, apprise, webhook (got 'pager')", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Run_refuses_a_missing_token_file_in_one_line_and_exit_code_2()
    {
        var result = await ProcessRunner.RunToExitAsync("dotnet", [TestPaths.ReconcilerDll, "run", "--Reconciler:Source=/nowhere", "--urls", "http://127.0.0.1:0", "--Reconciler:Notify:Url=http://127.0.0.1:9/topic", "--Reconciler:Notify:Kind=ntfy", "--Reconciler:Notify:TokenFile=/nowhere/notify-token"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("reconciler: Reconciler:Notify:TokenFile must be a readable file holding the token (got '/nowhere/notify-token')", result.Error.Trim());
    }
}
