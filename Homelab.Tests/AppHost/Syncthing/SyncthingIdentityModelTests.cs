using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Homelab.AppHost.Syncthing;

namespace Homelab.Tests.AppHost.Syncthing;

/// <summary>The identity in the AppHost's model, inspected without running anything.</summary>
public sealed class SyncthingIdentityModelTests
{
    [Fact]
    public async Task The_identity_is_a_secret_parameter_that_reaches_only_the_init_step_and_only_in_its_environment()
    {
        var given = SyncthingIdentity.Generate(TimeProvider.System);
        await using var builder = await AppHostModel.BuildAsync($"Parameters:{AppHostModel.SyncthingIdentityParameter}={given.Value}");
        var syncthing = builder.Single<SyncthingResource>("syncthing");
        var init = builder.Single<ContainerResource>("syncthing-init");

        Assert.Equal(AppHostModel.SyncthingIdentityParameter, syncthing.Identity.Name);
        Assert.True(syncthing.Identity.Secret);
        Assert.Equal(given.Value, await syncthing.Identity.GetValueAsync(default));
        Assert.Equal(given.Value, (await init.EnvironmentAsync())[SyncthingInit.IdentityVariable]);
        Assert.All(await init.ArgumentsAsync(), a => Assert.DoesNotContain(given.KeyPem.Split('\n')[1], a, StringComparison.Ordinal));
        Assert.DoesNotContain(SyncthingInit.IdentityVariable, (await syncthing.EnvironmentAsync()).Keys);
    }
}
