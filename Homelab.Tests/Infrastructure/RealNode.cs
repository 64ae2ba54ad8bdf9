using System.Text.Json.Nodes;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// A real single-node cluster's answers for the published tree (../shared/real-node: such a node cannot run
/// in CI): pods that cannot pull or never become ready, the Deployments stuck on them, their events, and
/// the Forbidden the published ServiceAccount got. Read from the shared folder, never copied.
/// </summary>
internal static class RealNode
{
    private static readonly Lazy<string> Folder = new(() => SharedFolder.Locate("real-node"));

    /// <summary>One captured answer, e.g. "forbidden-configmap-apply.json".</summary>
    public static JsonObject Read(string file) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Folder.Value, file)))!;

    /// <summary>The items of a captured LIST answer.</summary>
    public static IReadOnlyList<JsonObject> Items(string file) =>
        [.. Read(file)["items"]!.AsArray().OfType<JsonObject>()];

    /// <summary>
    /// A captured Deployment as it was before its 10-minute progress deadline passed: the same object without
    /// the ProgressDeadlineExceeded condition (the capture was taken after it).
    /// </summary>
    public static JsonObject BeforeDeadline(JsonObject deployment)
    {
        var copy = (JsonObject)deployment.DeepClone();
        var conditions = copy["status"]!["conditions"]!.AsArray();
        conditions.Remove(conditions.Single(c => c!["reason"]!.GetValue<string>() == "ProgressDeadlineExceeded"));
        return copy;
    }

    /// <summary>The item named <paramref name="name"/> of a captured LIST answer.</summary>
    public static JsonObject Item(string file, string name) =>
        Items(file).Single(i => i["metadata"]!["name"]!.GetValue<string>() == name);
}
