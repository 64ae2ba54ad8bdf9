using System.Reflection;

namespace Homelab.Benchmarks.Infrastructure;

/// <summary>Paths stamped into the assembly at build time (see Homelab.Benchmarks.csproj).</summary>
internal static class BenchPaths
{
    public static string Dcp => Metadata("DcpPath");

    public static string ReconcilerDll => Metadata("ReconcilerDll");

    private static string Metadata(string key) =>
        typeof(BenchPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is missing");
}
