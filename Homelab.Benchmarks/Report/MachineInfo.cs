using System.Globalization;
using System.Runtime.InteropServices;

namespace Homelab.Benchmarks.Report;

/// <summary>Where and when the numbers were taken; the machine may be shared, so load is recorded too.</summary>
internal sealed record MachineInfo(string Date, int Processors, long MemoryMiB, string Os, string Runtime, string Kubectl, string LoadAverageAtStart)
{
    public string? LoadAverageAtEnd { get; set; }

    public static MachineInfo Capture(string kubectlVersion) => new(
        DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        Environment.ProcessorCount,
        MemTotalMiB(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        kubectlVersion,
        LoadAverage());

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static long MemTotalMiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
