using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>Runs the AppHost's publish step exactly as README says, into a folder.</summary>
internal static class Publisher
{
    /// <summary>The setting the committed clusters/my-laptop was published with.</summary>
    public const string ExampleRepository = "--Homelab:Publish:RepositoryUrl=" + Homelab.AppHost.Publishing.PublishSettings.PlaceholderRepositoryUrl;

    public static Task<string> PublishAsync(string output, params string[] settings) =>
        ProcessRunner.RunAsync(
            "dotnet",
            ["run", "--project", "Homelab.AppHost", "--no-build", "-c", TestPaths.Configuration, "--", "--operation", "publish", "--step", "publish", "--output-path", output, .. settings],
            TestPaths.RepositoryRoot);

    public static SortedDictionary<string, byte[]> ReadTree(string directory) =>
        new(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), File.ReadAllBytes), StringComparer.Ordinal);
}
