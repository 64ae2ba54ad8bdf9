using System.Diagnostics;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Benchmarks.Report;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>
/// A poll when the remote has not moved, with the remote served by <c>git daemon</c> behind a byte-counting
/// relay: what the poll costs on the wire (Git) and against the API server.
/// </summary>
internal static class IdlePoll
{
    public static async Task RunAsync(BenchCluster cluster, string work, BenchmarkReport report)
    {
        using var daemon = await GitDaemon.StartAsync(cluster.Repository.Root);
        using var relay = new ByteCountingProxy(daemon.Port);
        var url = $"git://127.0.0.1:{relay.Port}/{Path.GetFileName(cluster.Repository.Bare)}";
        using var api = cluster.Server.Connect();
        var (pipeline, source) = PipelineFactory.Create(url, Path.Combine(work, "state-idle"), cluster.Server, api);
        var scenario = $"idle poll, remote unchanged, {cluster.Objects} objects";

        // First cycle: the initial clone over git://.
        var initial = await pipeline.RunAsync(skipWhenUnchanged: true, default);
        if (!initial.Ready)
        {
            throw new InvalidOperationException($"initial cycle over git:// failed: {initial.Message}");
        }

        var clone = relay.Snapshot();

        // The idle cycle.
        var requests = api.Requests;
        var writes = api.Writes;
        var clock = Stopwatch.StartNew();
        // A scheduled cycle of `run` while drift is watched: it may stop after an unchanged ls-remote.
        var idle = await pipeline.RunAsync(skipWhenUnchanged: true, default);
        var seconds = clock.Elapsed.TotalSeconds;
        var afterCycle = relay.Snapshot();
        var cycleRequests = api.Requests - requests;
        var cycleWrites = api.Writes - writes;
        if (!idle.Ready)
        {
            throw new InvalidOperationException($"idle cycle failed: {idle.Message}");
        }

        // The source stage alone, to read whether it fetched.
        var artifact = await source.SyncAsync(default);
        var afterSync = relay.Snapshot();

        var cycleBytes = afterCycle.ToServer - clone.ToServer + afterCycle.ToClient - clone.ToClient;
        report.Add(new Measurement(scenario, "Git bytes on the wire per idle poll", cycleBytes, "B", Target: "no fetch", Met: !artifact.Fetched,
            Note: $"ls-remote only: {afterCycle.Connections - clone.Connections} connection(s), {afterCycle.ToServer - clone.ToServer} B sent, {afterCycle.ToClient - clone.ToClient} B received "
                + $"(initial clone: {clone.ToClient} B received); SourceArtifact.Fetched={artifact.Fetched.ToString().ToLowerInvariant()}, "
                + $"a sync alone moved {afterSync.ToServer - afterCycle.ToServer + afterSync.ToClient - afterCycle.ToClient} B"));
        report.Add(new Measurement(scenario, "API requests per idle poll", cycleRequests, "", Target: "0", Met: cycleRequests == 0,
            Note: cycleRequests == 0 ? null : "the pipeline applies on every cycle even when the revision did not change: one LIST of every managed kind "
                + "(reads all live objects) to find drift; 0 writes"));
        report.Add(new Measurement(scenario, "API writes per idle poll", cycleWrites, "", Target: "0", Met: cycleWrites == 0));
        report.Add(new Measurement(scenario, "wall time per idle poll", seconds, "s"));
    }
}
