using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Homelab.Tests.AppHost;

/// <summary>Builds the AppHost's model (nothing starts) with extra settings, for model-level tests.</summary>
internal static class AppHostModel
{
    public static readonly string[] SecretParameters =
        ["navidrome-admin-password", "syncthing-gui-password", "syncthing-api-key", "reconciler-api-token", "reconciler-webhook-secret"];

    /// <summary>Not a password: its value is a certificate and key (given apart, since a random string is no identity).</summary>
    public const string SyncthingIdentityParameter = "syncthing-identity";

    public static Task<IDistributedApplicationTestingBuilder> BuildAsync(params string[] settings) => BuildAsync([], settings);

    /// <summary>The model with the secret parameters in <paramref name="unset"/> given no value: the AppHost generates them.</summary>
    public static async Task<IDistributedApplicationTestingBuilder> BuildAsync(IReadOnlyCollection<string> unset, params string[] settings)
    {
        // Folders that exist, so building the model touches nothing of the user's.
        var music = Directory.CreateTempSubdirectory("homelab-music-").FullName;
        var notes = Directory.CreateTempSubdirectory("homelab-notes-").FullName;
        string[] args =
        [
            $"Parameters:music-folder={music}",
            $"Parameters:notes-folder={notes}",
            // Given, so that building a model never generates (and persists) secrets into the user's store.
            .. SecretParameters.Where(p => !unset.Contains(p)).Select(p => $"Parameters:{p}={System.Security.Cryptography.RandomNumberGenerator.GetHexString(32)}"),
            .. unset.Contains(SyncthingIdentityParameter) ? [] : new[] { $"Parameters:{SyncthingIdentityParameter}={Homelab.AppHost.Syncthing.SyncthingIdentity.Generate(TimeProvider.System).Value}" },
            .. settings,
        ];
        return await DistributedApplicationTestingBuilder.CreateAsync<Projects.Homelab_AppHost>(args);
    }

    public static T Single<T>(this IDistributedApplicationTestingBuilder builder, string name) where T : IResource =>
        Assert.IsType<T>(Assert.Single(builder.Resources, r => r.Name == name), exactMatch: false);

    public static EndpointAnnotation Endpoint(this IResource resource, string name) =>
        Assert.Single(resource.Annotations.OfType<EndpointAnnotation>(), e => e.Name == name);

    public static ContainerMountAnnotation Mount(this IResource resource, string target) =>
        Assert.Single(resource.Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == target);

    // The plain-value helpers are marked obsolete in 13.6 in favour of ExecutionConfigurationBuilder,
    // but they still resolve exactly what DCP would be given, which is what these tests check.
#pragma warning disable CS0618
    public static async Task<Dictionary<string, string>> EnvironmentAsync(this IResourceWithEnvironment resource)
    {
        // A project's environment names its own URLs, which wait for ports DCP would allocate.
        var port = 40000;
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.AllocatedEndpoint is null))
        {
            endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", endpoint.Port ?? port++);
        }

        return await resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
    }

    public static async Task<string[]> ArgumentsAsync(this IResourceWithArgs resource) =>
        await resource.GetArgumentValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
}
