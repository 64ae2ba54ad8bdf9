using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;
using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Host;

/// <summary>
/// Suspend and resume, kept across restarts: a suspended reconciler stays suspended after a crash, an
/// upgrade or a reboot until someone resumes it. The mark is the file <c>&lt;state&gt;/suspended</c>.
/// </summary>
public sealed class Suspension(IOptions<ReconcileOptions> options, ReconcileStatus status, ILogger<Suspension> logger)
{
    private string FilePath => Path.Combine(options.Value.StateDirectory, "suspended");

    /// <summary>Reads the mark at start.</summary>
    public void Restore()
    {
        if (File.Exists(FilePath))
        {
            status.SetSuspended(true);
            logger.LogWarning("Suspended since before this start ({File}): no cycle runs until resumed", FilePath);
        }
    }

    public void Set(bool suspended)
    {
        status.SetSuspended(suspended);
        try
        {
            if (suspended)
            {
                Directory.CreateDirectory(options.Value.StateDirectory);
                File.WriteAllText(FilePath, $"suspended at {DateTimeOffset.UtcNow:u}\n");
            }
            else
            {
                File.Delete(FilePath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("{State} holds until this process ends but is not kept across a restart: {Reason}", suspended ? "Suspend" : "Resume", ex.Message);
        }
    }
}
