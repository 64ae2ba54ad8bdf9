using System.Diagnostics;
using Homelab.Reconciler.Telemetry;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Cli;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Homelab.Tests.Reconciler.Telemetry;

/// <summary>The spans and metrics a real reconcile (DCP, Git) emits, captured with OpenTelemetry's in-memory exporter.</summary>
[Collection(DcpCollection.Name)]
public sealed class ReconcilerTelemetryTests(DcpFixture dcp)
{
    [Fact]
    public async Task A_reconcile_emits_its_spans_with_revision_and_counts_and_its_metrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(ReconcilerTelemetry.Name).AddInMemoryExporter(spans).Build();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(ReconcilerTelemetry.Name).AddInMemoryExporter(metrics).Build();
        var repository = GitRepository.Create();
        repository.Write("clusters/test/a.yaml", Yaml.Executable($"{Manifests.Prefix()}-a")).Commit("a");

        var result = await ReconcileOnceTests.RunCliAsync("reconcile", "--once", "--source", repository.Root, "--path", "clusters/test", "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", Directory.CreateTempSubdirectory("homelab-state-").FullName, "--quiet");
        Assert.Equal(0, result.ExitCode);
        tracing!.ForceFlush();
        meters!.ForceFlush();

        var reconcile = Assert.Single(spans, s => s.OperationName == "reconcile");
        Assert.StartsWith("main@sha1:", reconcile.GetTagItem("homelab.revision") as string, StringComparison.Ordinal);
        foreach (var stage in new[] { "fetch", "build", "apply", "prune", "health" })
        {
            var span = Assert.Single(spans, s => s.OperationName == stage);
            Assert.Equal(reconcile.SpanId, span.ParentSpanId);
        }

        Assert.Equal(1, Assert.Single(spans, s => s.OperationName == "apply").GetTagItem("homelab.created"));
        Assert.Equal(1, Assert.Single(spans, s => s.OperationName == "build").GetTagItem("homelab.objects"));
        var names = metrics.Select(m => m.Name).ToHashSet();
        foreach (var name in new[] { "homelab.reconcile.duration", "homelab.reconcile.runs", "homelab.objects.applied", "homelab.inventory.objects" })
        {
            Assert.Contains(name, names);
        }
    }
}
