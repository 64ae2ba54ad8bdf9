using System.Net;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Tests.Infrastructure;

/// <summary>Reads and edits live objects on DCP, the way a user would (kubectl for edits).</summary>
internal static class Live
{
    private const string Executables = "/apis/usvc-dev.developer.microsoft.com/v1/executables";

    public static async Task<JsonObject?> GetExecutableAsync(KubeApi api, string name)
    {
        try
        {
            return await api.GetAsync($"{Executables}/{name}", default);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static async Task<string?> WaitForStateAsync(KubeApi api, string name, string state, int seconds = 30)
    {
        string? current = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(seconds); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            current = (await GetExecutableAsync(api, name))?["status"]?["state"]?.GetValue<string>();
            if (current == state)
            {
                break;
            }
        }

        return current;
    }

    public static async Task<bool> WaitUntilGoneAsync(KubeApi api, string name, int seconds = 30)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(seconds); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if (await GetExecutableAsync(api, name) is null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every Executable on the server with its uid, generation, labels, annotations and spec: equal snapshots mean
    /// nothing was created, changed or deleted (resourceVersion also moves with DCP's own status updates).
    /// </summary>
    public static async Task<string> SnapshotAsync(KubeApi api)
    {
        var list = await api.GetAsync(Executables, default);
        return string.Join('\n', list!["items"]!.AsArray().OfType<JsonObject>()
            .Select(i => $"{i["metadata"]!["name"]}@{i["metadata"]!["uid"]}@{i["metadata"]!["generation"]}:{i["metadata"]!["labels"]?.ToJsonString()}{i["metadata"]!["annotations"]?.ToJsonString()}{i["spec"]?.ToJsonString()}")
            .Order(StringComparer.Ordinal));
    }

    /// <summary>A hand edit with kubectl, the reference client.</summary>
    public static Task MergePatchAsync(DcpApiServer server, string name, string patch) =>
        Kubectl(server, "patch", "executable", name, "--type", "merge", "-p", patch);

    public static Task DeleteAsync(DcpApiServer server, string name) =>
        Kubectl(server, "delete", "executable", name, "--wait=false");

    public static Task<string> Kubectl(DcpApiServer server, params string[] args) =>
        ProcessRunner.RunAsync("kubectl", args, environment: new Dictionary<string, string?> { ["KUBECONFIG"] = server.Kubeconfig });
}
