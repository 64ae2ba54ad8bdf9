using Microsoft.Extensions.Logging;

namespace Homelab.AppHost.Backups;

/// <summary>
/// The dashboard's "Back up now": runs every container's backup command (<see cref="BackupCommandAnnotation"/>)
/// inside the running container, and says per app what happened. One app that is not running (Navidrome
/// without its image) does not stop the others' backups.
/// </summary>
internal sealed class BackUpNow(DistributedApplicationModel model, ResourceNotificationService notifications, ContainerExec exec, ILogger<BackUpNow> logger)
{
    public const string CommandName = "back-up-now";
    public const string DisplayName = "Back up now";

    /// <summary>The property DCP's snapshot gives a running container's runtime id under.</summary>
    private const string ContainerIdProperty = "container.id";

    public async Task<ExecuteCommandResult> RunAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        var done = new List<string>();
        foreach (var resource in model.Resources.OfType<ContainerResource>())
        {
            if (resource.Annotations.OfType<BackupCommandAnnotation>().SingleOrDefault() is not { } backup)
            {
                continue;
            }

            if (await ContainerIdAsync(resource, cancellationToken).ConfigureAwait(false) is not { } id)
            {
                failures.Add($"{resource.Name}: not running");
                continue;
            }

            var (exitCode, output) = await exec.RunAsync(id, backup.Command, cancellationToken).ConfigureAwait(false);
            if (exitCode == 0)
            {
                logger.LogInformation("Backed up {Resource}: {Output}", resource.Name, output);
                done.Add(resource.Name);
            }
            else
            {
                logger.LogWarning("Backup of {Resource} failed (exit code {ExitCode}): {Output}", resource.Name, exitCode, output);
                failures.Add($"{resource.Name}: exit code {exitCode}: {output}");
            }
        }

        var summary = done.Count == 0 ? "nothing backed up" : "backed up " + string.Join(", ", done);
        return failures.Count == 0 ? CommandResults.Success(summary) : CommandResults.Failure($"{summary}; failed: {string.Join("; ", failures)}");
    }

    private async Task<string?> ContainerIdAsync(ContainerResource resource, CancellationToken cancellationToken)
    {
        // The notification service replays a resource's current state at once; a resource DCP never reported is not running.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            var state = await notifications.WaitForResourceAsync(resource.Name, _ => true, wait.Token).ConfigureAwait(false);
            return state.Snapshot.State?.Text == KnownResourceStates.Running
                && state.Snapshot.Properties.FirstOrDefault(p => p.Name == ContainerIdProperty)?.Value?.ToString() is { Length: > 0 } id
                ? id
                : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
