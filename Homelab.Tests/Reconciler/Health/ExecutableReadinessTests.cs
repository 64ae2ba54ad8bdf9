using System.Text.Json.Nodes;
using Homelab.Reconciler.Health;

namespace Homelab.Tests.Reconciler.Health;

/// <summary>
/// DCP's Executable (the test API server's workload): waited for only when it declares health probes, then
/// healthy when DCP says the probes pass. Statuses as DCP 13.6 writes them (seen with kubectl).
/// </summary>
public sealed class ExecutableReadinessTests
{
    [Theory]
    [InlineData("""{"kind":"Executable","spec":{"healthProbes":[{"name":"http","type":"HTTP","httpProbe":{"url":"http://127.0.0.1:9/"},"schedule":{"interval":"1s"}}]},"status":{"state":"Running","healthStatus":"Healthy"}}""", "Healthy")]
    [InlineData("""{"kind":"Executable","spec":{"healthProbes":[{"name":"http","type":"HTTP","httpProbe":{"url":"http://127.0.0.1:9/"},"schedule":{"interval":"1s"}}]},"status":{"state":"Running","healthStatus":"Unhealthy"}}""", "Progressing: state Running, health Unhealthy")]
    [InlineData("""{"kind":"Executable","spec":{"healthProbes":[{"name":"http","type":"HTTP","httpProbe":{"url":"http://127.0.0.1:9/"},"schedule":{"interval":"1s"}}]},"status":{"state":"FailedToStart","healthStatus":"Unhealthy"}}""", "Failed: failed to start")]
    [InlineData("""{"kind":"Executable","spec":{},"status":{"state":"Running","healthStatus":"Unhealthy"}}""", "Healthy")]
    public void An_executable_with_probes_is_as_healthy_as_they_say(string live, string expected) =>
        Assert.Equal(expected, Readiness.Check((JsonObject)JsonNode.Parse(live)!).ToString());

    [Fact]
    public void Only_an_executable_with_probes_is_waited_for()
    {
        Assert.True(Readiness.HasRule((JsonObject)JsonNode.Parse("""{"kind":"Executable","spec":{"healthProbes":[{"name":"http","type":"HTTP","httpProbe":{"url":"http://127.0.0.1:9/"},"schedule":{"interval":"1s"}}]},"status":{}}""")!));
        Assert.False(Readiness.HasRule((JsonObject)JsonNode.Parse("""{"kind":"Executable","spec":{"executablePath":"/bin/sleep"}}""")!));
        Assert.True(Readiness.HasRule((JsonObject)JsonNode.Parse("""{"kind":"Deployment"}""")!));
    }
}
