using System.Diagnostics;

namespace Homelab.Tests.Infrastructure;

/// <summary>Runs a real program (kubectl, dotnet, podman) to its end.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs it and fails the test, with its stderr, when it fails; returns its stdout.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var result = await RunToExitAsync(file, args, workingDirectory, environment).ConfigureAwait(false);
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {result.ExitCode}: {result.Error}");
        return result.Output;
    }

    /// <summary>
    /// Runs it, whatever its exit code; stdout and stderr kept apart. Cancelled: it and every process it
    /// started are killed (a failing test leaves no service behind), then the cancellation is thrown.
    /// </summary>
    public static async Task<ProcessResult> RunToExitAsync(string file, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        using var process = Start(file, args, workingDirectory, environment);
        // Read to the end even when cancelled: the kill below closes both pipes.
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new ProcessResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>
    /// <see cref="RunToExitAsync"/> for synchronous helpers (git, podman). Safe to block on: nothing in it
    /// resumes on the caller's synchronization context.
    /// </summary>
    public static ProcessResult RunToExit(string file, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        RunToExitAsync(file, args, workingDirectory, environment).GetAwaiter().GetResult();

    /// <summary>
    /// Starts it with stdout and stderr redirected, for a test that watches or stops it while it runs; the
    /// caller reads the streams and disposes it. A null environment value removes the variable.
    /// </summary>
    public static Process Start(string file, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
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

        return Process.Start(start)!;
    }
}
