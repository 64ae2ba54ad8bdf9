using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Image;

/// <summary>
/// The reconciler image, built once per test run by <c>eng/build-image.sh --save</c> exactly as a user
/// builds it (eng/test.sh builds it before the suite, so here the script usually finds it up to date).
/// Once per process, whatever the number of classes using it: two scripts at once would race on the
/// native build's folders.
/// </summary>
public sealed class ReconcilerImageFixture : IAsyncLifetime
{
    private static readonly Lazy<Task<(string Reference, string Archive)>> Build = new(BuildAsync);

    private (string Reference, string Archive)? _image;

    /// <summary>The image reference the script printed as its last line.</summary>
    public string Reference => _image?.Reference ?? throw new InvalidOperationException(SkipReason() ?? "the image was not built");

    /// <summary>The OCI archive (both platforms) <c>--save</c> copied, for a node's containerd or Docker.</summary>
    public string Archive => _image?.Archive ?? throw new InvalidOperationException(SkipReason() ?? "the image was not built");

    /// <summary>Why the image tests cannot run here, or null: only a missing podman outside CI.</summary>
    public static string? SkipReason()
    {
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            return null;
        }

        try
        {
            Podman.Run("--version");
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "podman is not installed: run eng/setup-podman.sh";
        }
    }

    public async Task InitializeAsync()
    {
        if (SkipReason() is not null)
        {
            return;
        }

        _image = await Build.Value;
    }

    private static async Task<(string Reference, string Archive)> BuildAsync()
    {
        var script = Path.Combine(TestPaths.RepositoryRoot, "eng", "build-image.sh");
        var archive = Path.Combine(Directory.CreateTempSubdirectory("homelab-image-").FullName, "homelab-reconciler.tar");
        var output = await ProcessRunner.RunAsync("bash", [script, "--save", archive], TestPaths.RepositoryRoot, new Dictionary<string, string?> { ["HOMELAB_CONTAINER_TOOL"] = "podman" });
        return (output.TrimEnd().Split('\n')[^1], archive);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
