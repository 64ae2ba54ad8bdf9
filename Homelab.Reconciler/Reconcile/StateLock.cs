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
    /// <exception cref="StateDirectoryException">The directory or its lock cannot be created or opened (not: is held).</exception>
    public static StateLock? TryAcquire(string stateDirectory, string purpose, out string holder)
    {
        var path = Path.Combine(stateDirectory, "lock");
        var holderPath = path + ".holder";
        FileStream? file = null;
        try
        {
            Directory.CreateDirectory(stateDirectory);

            // FileShare.None is an exclusive, non-blocking flock on Unix.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(holderPath, $"process {Environment.ProcessId} ({purpose}) since {DateTimeOffset.UtcNow:u}");
            holder = string.Empty;
            return new StateLock(file);
        }
        catch (IOException ex) when (IsHeldElsewhere(ex))
        {
            holder = $"the state directory {stateDirectory} is in use by {Holder(holderPath)}; use another --state-dir (Reconciler:StateDirectory) or stop it";
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            throw StateDirectoryException.For(stateDirectory, ex);
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>
    /// The lock is held by another process: the runtime's plain IOException carrying the platform's "would block"
    /// (EWOULDBLOCK: 11 on Linux, 35 on macOS) or Windows' sharing/lock violation. Any other failure (no write
    /// access, a read-only volume, <c>lock</c> being a folder) is the directory's, and waiting would not cure it.
    /// </summary>
    private static bool IsHeldElsewhere(IOException ex) =>
        ex.GetType() == typeof(IOException) && ex.HResult is 11 or 35 or unchecked((int)0x80070020) or unchecked((int)0x80070021);

    private static string Holder(string holderPath)
    {
        try
        {
            return File.Exists(holderPath) ? File.ReadAllText(holderPath).Trim() : "another process";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "another process";
        }
    }
}
