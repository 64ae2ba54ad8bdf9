using System.Globalization;

namespace Homelab.Benchmarks.Infrastructure;

/// <summary>
/// A memory cgroup of its own with a limit, as a pod's container gets: the .NET runtime reads the limit and
/// sizes its heap to it. cgroup v2 (<c>memory.max</c>) or v1 (<c>memory.limit_in_bytes</c>), whichever this
/// machine mounts writable; none (not root, no memory controller) and the measurement is left out.
/// </summary>
internal sealed class MemoryCgroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup";
    private readonly bool _v2;

    private MemoryCgroup(string path, bool v2)
    {
        Path = path;
        _v2 = v2;
    }

    public string Path { get; }

    /// <summary>Where a process writes its pid to move itself in.</summary>
    public string ProcsFile => System.IO.Path.Combine(Path, "cgroup.procs");

    /// <summary>A new cgroup limited to <paramref name="limitMiB"/>, or null with the reason this machine cannot make one.</summary>
    public static MemoryCgroup? TryCreate(int limitMiB, out string? reason)
    {
        var limit = (limitMiB * 1024L * 1024L).ToString(CultureInfo.InvariantCulture);
        var name = $"homelab-bench-{Environment.ProcessId}";
        (string Parent, bool V2, string LimitFile)[] layouts =
        [
            (Root, true, "memory.max"),
            (System.IO.Path.Combine(Root, "memory"), false, "memory.limit_in_bytes"),
        ];
        foreach (var (parent, v2, limitFile) in layouts)
        {
            if (!File.Exists(System.IO.Path.Combine(parent, v2 ? "cgroup.controllers" : "memory.limit_in_bytes")))
            {
                continue;
            }

            var path = System.IO.Path.Combine(parent, name);
            try
            {
                Directory.CreateDirectory(path);
                File.WriteAllText(System.IO.Path.Combine(path, limitFile), limit);
                if (v2)
                {
                    // No swap either, as a pod without swap.
                    File.WriteAllText(System.IO.Path.Combine(path, "memory.swap.max"), "0");
                }

                reason = null;
                return new MemoryCgroup(path, v2);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryRemove(path);
                reason = $"cannot make a memory cgroup under {parent}: {ex.Message}";
                return null;
            }
        }

        reason = $"no memory cgroup controller under {Root}";
        return null;
    }

    /// <summary>The most memory the cgroup's processes were charged with (page cache included), in MiB.</summary>
    public double PeakMiB() => long.Parse(Read(_v2 ? "memory.peak" : "memory.max_usage_in_bytes"), CultureInfo.InvariantCulture) / 1024.0 / 1024.0;

    /// <summary>How many processes the kernel killed for reaching the limit.</summary>
    public int OomKills() => int.Parse(
        Read(_v2 ? "memory.events" : "memory.oom_control").Split('\n').Select(l => l.Split(' ')).First(f => f[0] == "oom_kill")[1],
        CultureInfo.InvariantCulture);

    public void Dispose() => TryRemove(Path);

    private string Read(string file) => File.ReadAllText(System.IO.Path.Combine(Path, file)).Trim();

    private static void TryRemove(string path)
    {
        try
        {
            // A cgroup is removed with rmdir once its processes are gone; its files go with it.
            Directory.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"bench: could not remove the cgroup {path}: {ex.Message}");
        }
    }
}
