using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Image;

/// <summary>
/// The reconciler image, built once per test run by <c>eng/build-image.sh</c> exactly as a user builds
/// it (eng/test.sh builds it before the suite, so here the script usually finds it up to date).
/// </summary>
public sealed class ReconcilerImageFixture : IAsyncLifetime
{
    private string? _reference;

    /// <summary>The image reference the script printed as its last line.</summary>
    public string Reference => _reference ?? throw new InvalidOperationException(SkipReason() ?? "the image was not built");

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

        var script = Path.Combine(TestPaths.RepositoryRoot, "eng", "build-image.sh");
        var output = await ProcessRunner.RunAsync("bash", [script], TestPaths.RepositoryRoot, new Dictionary<string, string?> { ["HOMELAB_CONTAINER_TOOL"] = "podman" });
        _reference = output.TrimEnd().Split('\n')[^1];
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
