using System.Text.Json.Nodes;
using Homelab.Reconciler.Health;

namespace Homelab.Tests.Reconciler.Health;

public sealed class ReadinessTests
{
    [Theory]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":1,"updatedReplicas":2,"availableReplicas":2}}""", "Progressing: observedGeneration 1 behind generation 2")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":2,"updatedReplicas":1,"availableReplicas":2}}""", "Progressing: 1/2 replicas updated")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":2,"updatedReplicas":2,"availableReplicas":1}}""", "Progressing: 1/2 replicas ready")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":2},"spec":{"replicas":2},"status":{"observedGeneration":2,"updatedReplicas":2,"availableReplicas":2}}""", "Healthy")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"updatedReplicas":1,"availableReplicas":0,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"ReplicaSet \"web-1\" has timed out progressing."}]}}""", "Failed: rollout exceeded its progress deadline: ReplicaSet \"web-1\" has timed out progressing.")]
    [InlineData("""{"kind":"Deployment","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"updatedReplicas":1,"availableReplicas":0,"conditions":[{"type":"ReplicaFailure","status":"True","message":"pods \"web\" is forbidden: exceeded quota"}]}}""", "Degraded: 0/1 replicas ready; pods \"web\" is forbidden: exceeded quota")]
    [InlineData("""{"kind":"StatefulSet","metadata":{"generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"updatedReplicas":1,"readyReplicas":0}}""", "Progressing: 0/1 replicas ready")]
    [InlineData("""{"kind":"DaemonSet","metadata":{"generation":1},"status":{"observedGeneration":1,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberReady":3}}""", "Healthy")]
    [InlineData("""{"kind":"Job","status":{"conditions":[{"type":"Complete","status":"True"}]}}""", "Healthy")]
    [InlineData("""{"kind":"Job","status":{"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded","message":"Job has reached the specified backoff limit"}]}}""", "Failed: job failed: BackoffLimitExceeded Job has reached the specified backoff limit")]
    [InlineData("""{"kind":"Job","status":{}}""", "Progressing: not complete")]
    [InlineData("""{"kind":"CustomResourceDefinition","status":{"conditions":[{"type":"Established","status":"False"}]}}""", "Progressing: not established")]
    [InlineData("""{"kind":"Namespace","status":{"phase":"Terminating"}}""", "Progressing: phase Terminating")]
    [InlineData("""{"kind":"Executable","status":{}}""", "Healthy")]
    public void Workloads_get_typed_health_by_kstatus_rules(string live, string expected) =>
        Assert.Equal(expected, Readiness.Check((JsonObject)JsonNode.Parse(live)!).ToString());

    [Fact]
    public void A_job_removed_by_its_ttl_is_done_and_any_other_missing_object_failed()
    {
        Assert.Equal(HealthState.Healthy, Readiness.Missing("Job").State);
        Assert.Equal(HealthState.Failed, Readiness.Missing("Deployment").State);
    }
}
