using Homelab.Tests.Infrastructure;
using k8s;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>Runs the AppHost's publish step exactly as README says, into a folder.</summary>
internal static class Publisher
{
    /// <summary>The setting the committed clusters/my-laptop was published with.</summary>
    public const string ExampleRepository = "--" + Homelab.Defaults.ReconcilerDefaults.RepositoryUrlSetting + "=" + Homelab.Defaults.ReconcilerDefaults.PlaceholderRepositoryUrl;

    /// <summary>The committed example tree.</summary>
    public static string Committed { get; } = Path.Combine(TestPaths.RepositoryRoot, "clusters", "my-laptop");

    public static Task<string> PublishAsync(string output, params string[] settings) =>
        ProcessRunner.RunAsync("dotnet", Arguments(output, settings), TestPaths.RepositoryRoot);

    /// <summary>Publishes whatever the outcome: a refused setting exits non-zero and says why.</summary>
    public static Task<ProcessResult> PublishToExitAsync(string output, params string[] settings) =>
        ProcessRunner.RunToExitAsync("dotnet", Arguments(output, settings), TestPaths.RepositoryRoot);

    /// <summary>The folder as `kubectl kustomize` renders it, read into the typed model (unknown fields fail).</summary>
    public static async Task<List<IKubernetesObject>> RenderAsync(string directory) =>
        KubernetesYaml.LoadAllFromString(await ProcessRunner.RunAsync("kubectl", ["kustomize", directory]), strict: true).Cast<IKubernetesObject>().ToList();

    public static SortedDictionary<string, byte[]> ReadTree(string directory) =>
        new(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), File.ReadAllBytes), StringComparer.Ordinal);

    private static string[] Arguments(string output, string[] settings) =>
        ["run", "--project", "Homelab.AppHost", "--no-build", "-c", TestPaths.Configuration, "--", "--operation", "publish", "--step", "publish", "--output-path", output, .. settings];
}
