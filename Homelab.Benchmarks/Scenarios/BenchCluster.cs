using Homelab.Tests.Infrastructure;
using Homelab.Benchmarks.Infrastructure;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>A DCP holding <see cref="BenchmarkSettings.LargestSize"/> objects applied by the reconciler, its repository and state.</summary>
internal sealed record BenchCluster(DcpApiServer Server, BenchRepository Repository, string StateDirectory, int Objects);
