using System.Diagnostics;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>Runs the AppHost's publish step exactly as README says, into a folder.</summary>
internal static class Publisher
{
    public static async Task<string> PublishAsync(string output, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TestPaths.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "run", "--project", "Homelab.AppHost", "--no-build", "-c", TestPaths.Configuration, "--", "--operation", "publish", "--step", "publish", "--output-path", output })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var log = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"publish failed ({process.ExitCode}):\n{log}");
        return log;
    }

    public static SortedDictionary<string, byte[]> ReadTree(string directory) =>
        new(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), File.ReadAllBytes), StringComparer.Ordinal);
}
