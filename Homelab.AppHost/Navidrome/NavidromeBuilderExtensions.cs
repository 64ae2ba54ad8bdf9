using Microsoft.Extensions.Configuration;
using Homelab.AppHost.Apps;
using Homelab.AppHost.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Homelab.AppHost.Navidrome;

/// <summary>Adds Navidrome to the model.</summary>
internal static class NavidromeBuilderExtensions
{
    /// <summary>Every hour, Navidrome's scanner schedule (cron or duration).</summary>
    public const string DefaultScanSchedule = "@every 1h";

    /// <summary>
    /// Adds Navidrome: music read-only at /music, a named volume at /data, the web UI on a stable
    /// host port, insights collection off, and the first admin created with the secret password.
    /// </summary>
    public static IResourceBuilder<NavidromeResource> AddNavidrome(
        this IDistributedApplicationBuilder builder,
        string name,
        AppSettings settings,
        string musicFolder,
        string volumePrefix,
        IResourceBuilder<ParameterResource> adminPassword,
        bool allInterfaces)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(adminPassword);

        var section = builder.Configuration.GetSection("Homelab:Navidrome");
        var port = section.GetValue("Port", NavidromeResource.HttpPort);
        var scanSchedule = section["ScanSchedule"] is { Length: > 0 } schedule ? schedule : DefaultScanSchedule;

        builder.Services.AddHttpClient(NavidromeAdminBootstrapper.HttpClientName);

        var navidrome = builder.AddResource(new NavidromeResource(name, adminPassword.Resource))
            .WithImage(settings.Image, settings.Tag)
            .WithBindMount(musicFolder, NavidromeResource.MusicPath, isReadOnly: true)
            .WithVolume($"{volumePrefix}{name}-data", NavidromeResource.DataPath)
            .WithFixedEndpoint(NavidromeResource.HttpEndpointName, port, NavidromeResource.HttpPort, "http", System.Net.Sockets.ProtocolType.Tcp, allInterfaces)
            .WithEnvironment("ND_MUSICFOLDER", NavidromeResource.MusicPath)
            .WithEnvironment("ND_DATAFOLDER", NavidromeResource.DataPath)
            .WithEnvironment("ND_PORT", NavidromeResource.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            // ND_SCANSCHEDULE is silently ignored since 0.55: only the new name works.
            .WithEnvironment("ND_SCANNER_SCHEDULE", scanSchedule)
            .WithEnvironment("ND_ENABLEINSIGHTSCOLLECTOR", "false")
            .WithHttpHealthCheck(NavidromeResource.HealthPath, endpointName: NavidromeResource.HttpEndpointName)
            .WithAnnotation(new Publishing.HttpProbeAnnotation(NavidromeResource.HealthPath, NavidromeResource.HttpEndpointName))
            // In the cluster: it writes its database and cache under /data (ND_DATAFOLDER), temporary files to /tmp.
            .WithAnnotation(new Publishing.ReadOnlyRootAnnotation("/tmp"));

        builder.Eventing.Subscribe<ResourceReadyEvent>(navidrome.Resource, (@event, cancellationToken) =>
            @event.Services.GetRequiredService<NavidromeAdminBootstrapper>().CreateFirstAdminAsync(navidrome.Resource, cancellationToken));
        builder.Services.AddSingleton<NavidromeAdminBootstrapper>();

        return navidrome;
    }
}
