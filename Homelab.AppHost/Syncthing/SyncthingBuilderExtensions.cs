using Microsoft.Extensions.Configuration;
using System.Net.Sockets;
using Homelab.AppHost.Apps;
using Homelab.AppHost.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Homelab.AppHost.Syncthing;

/// <summary>Adds Syncthing to the model.</summary>
internal static class SyncthingBuilderExtensions
{
    /// <summary>Configuration key: <c>Homelab:Syncthing:LocalOnly</c> (no global discovery, relays, NAT, reporting).</summary>
    public const string LocalOnlySettingKey = "Homelab:Syncthing:LocalOnly";

    /// <summary>A proxy address nothing listens on (port 9, discard), inside the container.</summary>
    internal const string DeadProxy = "http://127.0.0.1:9";

    /// <summary>
    /// Adds Syncthing with its config on a named volume and the notes folder read-write. An init
    /// container (<c>&lt;name&gt;-init</c>, same image) writes the identity and runs <c>syncthing generate</c> first
    /// (<see cref="SyncthingInit"/>), so the device ID is the model's and the GUI user and password exist before the
    /// GUI is reachable; the API key comes from <c>STGUIAPIKEY</c>, which Syncthing prefers over its config.
    /// </summary>
    public static IResourceBuilder<SyncthingResource> AddSyncthing(
        this IDistributedApplicationBuilder builder,
        string name,
        AppSettings settings,
        string notesFolder,
        string volumePrefix,
        IResourceBuilder<ParameterResource> guiPassword,
        IResourceBuilder<ParameterResource> apiKey,
        IResourceBuilder<ParameterResource> identity,
        bool allInterfaces)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(guiPassword);
        ArgumentNullException.ThrowIfNull(apiKey);
        ArgumentNullException.ThrowIfNull(identity);

        var configVolume = $"{volumePrefix}{name}-config";
        var section = builder.Configuration.GetSection("Homelab:Syncthing");
        var guiPort = section.GetValue("GuiPort", SyncthingResource.GuiPort);
        var syncPort = section.GetValue("SyncPort", SyncthingResource.SyncPort);
        var discoveryPort = section.GetValue("DiscoveryPort", SyncthingResource.DiscoveryPort);

        var init = builder.AddContainer($"{name}-init", settings.Image, settings.Tag)
            .WithVolume(configVolume, SyncthingResource.ConfigPath)
            .WithEntrypoint(SyncthingInit.Shell)
            .WithArgs("-c", SyncthingInit.Script)
            .WithEnvironment(SyncthingInit.PasswordVariable, guiPassword)
            .WithEnvironment(SyncthingInit.IdentityVariable, identity)
            // In the cluster: the init writes only the config volume; a key pair and a small XML file.
            .WithAnnotation(new Publishing.ReadOnlyRootAnnotation("/tmp"))
            .WithAnnotation(new Publishing.ResourceBudgetAnnotation("10m", "500m", "32Mi", "128Mi"));

        var syncthing = builder.AddResource(new SyncthingResource(name, guiPassword.Resource, apiKey.Resource, identity.Resource))
            .WithImage(settings.Image, settings.Tag)
            .WithVolume(configVolume, SyncthingResource.ConfigPath)
            .WithBindMount(notesFolder, SyncthingResource.NotesPath)
            .WithFixedEndpoint(SyncthingResource.GuiEndpointName, guiPort, SyncthingResource.GuiPort, "http", ProtocolType.Tcp, allInterfaces)
            .WithFixedEndpoint(SyncthingResource.SyncTcpEndpointName, syncPort, SyncthingResource.SyncPort, "tcp", ProtocolType.Tcp, allInterfaces)
            .WithFixedEndpoint(SyncthingResource.SyncUdpEndpointName, syncPort, SyncthingResource.SyncPort, "udp", ProtocolType.Udp, allInterfaces)
            .WithFixedEndpoint(SyncthingResource.DiscoveryEndpointName, discoveryPort, SyncthingResource.DiscoveryPort, "udp", ProtocolType.Udp, allInterfaces)
            .WithArgs("serve", "--home", SyncthingResource.ConfigPath, "--no-browser", "--no-default-folder")
            // Inside the container the GUI must listen on all interfaces for the port to be published;
            // the host side is bound by the endpoint above.
            .WithEnvironment("STGUIADDRESS", "0.0.0.0:" + SyncthingResource.GuiPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("STGUIAPIKEY", apiKey)
            // The image is pinned: upgrading inside the container would drift from the model.
            .WithEnvironment("STNOUPGRADE", "1")
            // In the cluster: config, keys and database live in --home (the config volume), synced files in the notes folder.
            .WithAnnotation(new Publishing.ReadOnlyRootAnnotation("/tmp"))
            .WaitForCompletion(init);

        // The dashboard shows the device ID the other devices pair with, before the container starts.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(syncthing.Resource, (@event, cancellationToken) =>
            SyncthingDeviceIdDisplay.ShowAsync(syncthing.Resource, @event.Services, cancellationToken));

        var healthCheckKey = $"{name}_rest_ping";
        builder.Services.AddHttpClient(SyncthingPingHealthCheck.HttpClientName);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            services => new SyncthingPingHealthCheck(syncthing.Resource, services.GetRequiredService<IHttpClientFactory>()),
            failureStatus: default,
            tags: default));
        syncthing.WithHealthCheck(healthCheckKey)
            // The cluster probes the pinned image (1.30), which has the unauthenticated health endpoint (1.22+).
            .WithAnnotation(new Publishing.HttpProbeAnnotation("/rest/noauth/health", SyncthingResource.GuiEndpointName));

        if (builder.Configuration.GetValue<bool>(LocalOnlySettingKey))
        {
            // Until the options below are PATCHed in, Syncthing would already look up relays and discovery
            // servers over HTTPS: a dead loopback proxy stops that from the first second. Sync connections
            // to devices by address do not use HTTP proxies and keep working.
            syncthing.WithEnvironment("HTTPS_PROXY", DeadProxy).WithEnvironment("HTTP_PROXY", DeadProxy);
            builder.Services.AddSingleton<SyncthingLocalOnlyConfigurator>();
            builder.Eventing.Subscribe<ResourceReadyEvent>(syncthing.Resource, (@event, cancellationToken) =>
                @event.Services.GetRequiredService<SyncthingLocalOnlyConfigurator>().ApplyAsync(syncthing.Resource, cancellationToken));
        }

        return syncthing;
    }
}
