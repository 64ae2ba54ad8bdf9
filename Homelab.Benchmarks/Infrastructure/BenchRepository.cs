using System.Globalization;

namespace Homelab.Benchmarks.Infrastructure;

/// <summary>
/// A bare Git repository (the "remote") and a work tree pushing to it, holding <c>clusters/bench/</c>
/// with one inert Executable manifest per file. Built with the git CLI, as a user would.
/// </summary>
internal sealed class BenchRepository
{
    public const string ClusterPath = "clusters/bench";

    /// <summary>The API group-version of DCP's Executable kind.</summary>
    public const string DcpApiVersion = "usvc-dev.developer.microsoft.com/v1";

    private BenchRepository(string root)
    {
        Root = root;
        Bare = Path.Combine(root, "remote.git");
        WorkTree = Path.Combine(root, "work");
    }

    /// <summary>The folder holding <see cref="Bare"/> (what git daemon serves).</summary>
    public string Root { get; }

    /// <summary>The bare repository the reconciler fetches from.</summary>
    public string Bare { get; }

    public string WorkTree { get; }

    /// <summary>The rendered folder: exactly the files kubectl applies.</summary>
    public string ManifestDirectory => Path.Combine(WorkTree, ClusterPath);

    public static async Task<BenchRepository> CreateAsync(string root, string prefix, int count)
    {
        var repository = new BenchRepository(root);
        Directory.CreateDirectory(repository.ManifestDirectory);
        await ExternalCommand.GitAsync(root, "init", "--quiet", "--bare", repository.Bare);
        await ExternalCommand.GitAsync(root, "init", "--quiet", repository.WorkTree);
        for (var i = 0; i < count; i++)
        {
            repository.WriteManifest(Name(prefix, i));
        }

        await repository.CommitAndPushAsync($"{count} executables");
        return repository;
    }

    public static string Name(string prefix, int index) => $"{prefix}{index.ToString("D5", CultureInfo.InvariantCulture)}";

    public void WriteManifest(string name) =>
        File.WriteAllText(Path.Combine(ManifestDirectory, name + ".yaml"), $"""
            apiVersion: usvc-dev.developer.microsoft.com/v1
            kind: Executable
            metadata:
              name: {name}
              labels:
                app.kubernetes.io/part-of: bench
            spec:
              executablePath: /bin/sleep
              args: ["600"]

            """);

    /// <summary>Commits everything and pushes main; returns the new commit's sha.</summary>
    public async Task<string> CommitAndPushAsync(string message)
    {
        await ExternalCommand.GitAsync(WorkTree, "add", "--all");
        await ExternalCommand.GitAsync(WorkTree, "commit", "--quiet", "-m", message);
        await ExternalCommand.GitAsync(WorkTree, "push", "--quiet", Bare, "HEAD:refs/heads/main");
        return (await ExternalCommand.GitAsync(WorkTree, "rev-parse", "HEAD")).Trim();
    }
}
