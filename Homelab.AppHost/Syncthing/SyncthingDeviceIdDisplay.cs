using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Homelab.AppHost.Syncthing;

/// <summary>
/// Shows Syncthing's device ID in the dashboard (a property of the resource and a line of its log), computed from
/// the identity parameter, so the owner can pair a device before Syncthing has even started.
/// </summary>
internal static class SyncthingDeviceIdDisplay
{
    public static async Task ShowAsync(SyncthingResource syncthing, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(syncthing);
        ArgumentNullException.ThrowIfNull(services);
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(syncthing);
        var value = await syncthing.Identity.GetValueAsync(cancellationToken).ConfigureAwait(false);
        if (SyncthingIdentity.Parse(value, out var error) is not { } identity)
        {
            // The init step refuses it too; this names the parameter to fix.
            logger.LogError("The {Parameter} parameter {Error}", syncthing.Identity.Name, error);
            return;
        }

        logger.LogInformation("Syncthing's device ID: {DeviceId} (from the {Parameter} parameter)", identity.DeviceId, syncthing.Identity.Name);
        await services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(syncthing, snapshot => snapshot with
        {
            Properties = [.. snapshot.Properties.Where(p => p.Name != SyncthingResource.DeviceIdProperty), new(SyncthingResource.DeviceIdProperty, identity.DeviceId) { DisplayName = "Device ID", IsHighlighted = true }],
        }).ConfigureAwait(false);
    }
}
