using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Native;

/// <summary>
/// The reconciler as a NativeAOT executable, published once per test run by <c>eng/publish-native.sh</c>
/// exactly as the image and the benchmark get it (eng/test.sh publishes it before the suite, so here the
/// script usually finds it up to date).
/// </summary>
public sealed class NativeReconcilerFixture : IAsyncLifetime
{
    private string? _executable;

    /// <summary>The executable's path, the script's last line.</summary>
    public string Executable => _executable ?? throw new InvalidOperationException("the native reconciler was not published");

    public async Task InitializeAsync()
    {
        var script = Path.Combine(TestPaths.RepositoryRoot, "eng", "publish-native.sh");
        var output = await ProcessRunner.RunAsync("bash", [script], TestPaths.RepositoryRoot);
        _executable = output.TrimEnd().Split('\n')[^1];
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
