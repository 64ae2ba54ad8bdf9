using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Homelab.AppHost.Backups;

/// <summary>Runs a command in a running container through the container runtime's CLI (<c>docker</c> or <c>podman</c> <c>exec</c>).</summary>
internal sealed class ContainerExec(IConfiguration configuration)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>The runtime Aspire itself uses (the same setting and default as its orchestrator).</summary>
    public string Runtime => configuration["ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } runtime
        ? runtime
        : configuration["DcpPublisher:ContainerRuntime"] is { Length: > 0 } configured ? configured : "docker";

    /// <summary>The exit code and what the command printed; a runtime that cannot start is exit code -1 with the reason.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Runtime) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(containerId);
        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{Runtime}: {e.Message}");
        }

        if (process is null)
        {
            return (-1, $"{Runtime} did not start");
        }

        using (process)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(Timeout);
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                return (process.ExitCode, (await output.ConfigureAwait(false) + await error.ConfigureAwait(false)).Trim());
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{Runtime} exec did not finish within {Timeout.TotalMinutes} minutes");
            }
        }
    }
}
