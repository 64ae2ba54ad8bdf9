namespace Homelab.Reconciler.Reconcile;

/// <summary>
/// One process per state directory: an exclusive lock on <c>&lt;state&gt;/lock</c> (flock, released by
/// the kernel when the process dies, so a crash never leaves it stuck), plus <c>lock.holder</c> saying
/// who holds it, for the message the next process prints.
/// </summary>
public sealed class StateLock : IDisposable
{
    private readonly FileStream _lock;

    private StateLock(FileStream file) => _lock = file;

    /// <summary>Takes the lock, or returns null and says who holds it.</summary>
    /// <param name="stateDirectory">The state directory.</param>
    /// <param name="purpose">What this process does ("run", "reconcile --once"), for the holder file.</param>
    /// <param name="holder">Who holds the lock when it could not be taken.</param>
    public static StateLock? TryAcquire(string stateDirectory, string purpose, out string holder)
    {
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, "lock");
        var holderPath = path + ".holder";
        try
        {
            // FileShare.None is an exclusive, non-blocking flock on Unix.
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(holderPath, $"process {Environment.ProcessId} ({purpose}) since {DateTimeOffset.UtcNow:u}");
            holder = string.Empty;
            return new StateLock(file);
        }
        catch (IOException)
        {
            var who = File.Exists(holderPath) ? File.ReadAllText(holderPath).Trim() : "another process";
            holder = $"the state directory {stateDirectory} is in use by {who}; use another --state-dir (Reconciler:StateDirectory) or stop it";
            return null;
        }
    }

    public void Dispose() => _lock.Dispose();
}
