using System.Diagnostics;

namespace Homelab.Tests.Infrastructure;

/// <summary>Runs a real program (kubectl, dotnet, podman) and fails the test, with its stderr, when it fails.</summary>
internal static class ProcessRunner
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? string.Empty };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A null value removes the variable: the program must not see it.
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}: {await error}");
        return await output;
    }
}
