using Aspire.Hosting.ApplicationModel;

namespace Homelab.Tests.AppHost.Reconciler;

/// <summary>Locally, <c>Homelab:Notify:*</c> reaches the reconciler as the same <c>Reconciler__Notify__*</c> the cluster uses; off by default.</summary>
public sealed class ReconcilerNotifyTests
{
    [Fact]
    public async Task Notify_settings_are_passed_to_the_reconciler_only_when_set()
    {
        await using var unset = await AppHostModel.BuildAsync();
        Assert.DoesNotContain((await unset.Single<ProjectResource>("reconciler").EnvironmentAsync()).Keys, k => k.StartsWith("Reconciler__Notify__", StringComparison.Ordinal));

        var tokenFile = Path.Combine(Path.GetTempPath(), "homelab-notify", "token");
        await using var configured = await AppHostModel.BuildAsync("Homelab:Notify:Url=http://127.0.0.1:8090/", "Homelab:Notify:Kind=gotify", $"Homelab:Notify:TokenFile={tokenFile}");
        var environment = await configured.Single<ProjectResource>("reconciler").EnvironmentAsync();

        Assert.Equal("http://127.0.0.1:8090/", environment["Reconciler__Notify__Url"]);
        Assert.Equal("gotify", environment["Reconciler__Notify__Kind"]);
        Assert.Equal(tokenFile, environment["Reconciler__Notify__TokenFile"]);
    }
}
