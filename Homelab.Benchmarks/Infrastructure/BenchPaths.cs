using System.Reflection;

namespace Homelab.Benchmarks.Infrastructure;

/// <summary>Paths stamped into the assembly at build time (see Homelab.Benchmarks.csproj).</summary>
internal static class BenchPaths
{
    public static string Dcp => Metadata("DcpPath");

    public static string ReconcilerDll => Metadata("ReconcilerDll");

    /// <summary>The repository's root (its clusters/ folder is the small tree `build` is timed on).</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ReconcilerDll)!, "..", "..", "..", ".."));

    /// <summary>The NativeAOT executable eng/benchmark.sh publishes (eng/publish-native.sh) and names here.</summary>
    public static string NativeReconciler =>
        Environment.GetEnvironmentVariable("HOMELAB_NATIVE_RECONCILER") is { Length: > 0 } path && File.Exists(path)
            ? path
            : throw new InvalidOperationException("HOMELAB_NATIVE_RECONCILER does not name the native reconciler: run eng/benchmark.sh");

    private static string Metadata(string key) =>
        typeof(BenchPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is missing");
}
