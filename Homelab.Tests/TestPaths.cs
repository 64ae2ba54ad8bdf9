using System.Reflection;

namespace Homelab.Tests;

/// <summary>Paths the build stamps into the test assembly.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot").TrimEnd('/');

    /// <summary>Debug or Release: the configuration the solution was built in (for `dotnet run --no-build`).</summary>
    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The built reconciler, for tests that run it as its own process (`dotnet Homelab.Reconciler.dll …`).</summary>
    public static string ReconcilerDll { get; } = Path.Combine(RepositoryRoot, "Homelab.Reconciler", "bin", Configuration, "net10.0", "Homelab.Reconciler.dll");

    /// <summary>DCP, Aspire's orchestrator: a real Kubernetes-style API server.</summary>
    public static string Dcp { get; } = Metadata("DcpPath");

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"{key} is not stamped into the test assembly");
}
