namespace Homelab.Benchmarks;

/// <summary>Sizes of one run. <see cref="Quick"/> only proves the benchmark works (CI); <see cref="Full"/> gives the numbers.</summary>
internal sealed record BenchmarkSettings(bool IsQuick, int[] Sizes, int TargetSize, int Pushes, int Deletions, int Cycles)
{
    public static BenchmarkSettings Full { get; } = new(false, [100, 500, 1000], TargetSize: 500, Pushes: 20, Deletions: 20, Cycles: 20);

    public static BenchmarkSettings Quick { get; } = new(true, [20, 50], TargetSize: 50, Pushes: 3, Deletions: 3, Cycles: 10);

    /// <summary>The objects the no-op, idle, latency and memory scenarios run over.</summary>
    public int LargestSize => Sizes[^1];

    public const string Prefix = "bench-";
}
