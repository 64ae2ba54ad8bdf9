using System.Text.Json.Nodes;
using Homelab.Reconciler.Health;

namespace Homelab.Tests.Reconciler.Health;

public sealed class ReadinessTests
{
    [Theory]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":1,"updatedReplicas":2,"availableReplicas":2}}""", "observedGeneration 1 behind generation 2")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":2,"updatedReplicas":1,"availableReplicas":2}}""", "1/2 replicas updated")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":2,"updatedReplicas":2,"availableReplicas":1}}""", "1/2 replicas ready")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":2,"updatedReplicas":2,"availableReplicas":2}}""", null)]
    [InlineData("""{"kind":"StatefulSet","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"updatedReplicas":1,"readyReplicas":0}}""", "0/1 replicas ready")]
    [InlineData("""{"kind":"DaemonSet","metadata":{"generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberReady":3}}""", null)]
    [InlineData("""{"kind":"Job","status":{"conditions":[{"type":"Complete","status":"True"}]}}""", null)]
    [InlineData("""{"kind":"Job","status":{"conditions":[{"type":"Failed","status":"True"}]}}""", "failed")]
    [InlineData("""{"kind":"CustomResourceDefinition","status":{"conditions":[{"type":"Established","status":"False"}]}}""", "not established")]
    [InlineData("""{"kind":"Namespace","status":{"phase":"Terminating"}}""", "phase Terminating")]
    [InlineData("""{"kind":"Executable","status":{}}""", null)]
    public void Workloads_are_ready_by_kstatus_rules(string live, string? expected) =>
        Assert.Equal(expected, Readiness.Check(JsonNode.Parse(live) as JsonObject));
}
