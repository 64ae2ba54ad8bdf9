using System.Text.Json.Nodes;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// A real kube-apiserver's answers for clusters/my-laptop (../shared/real-apiserver: no such server can
/// run here): the objects right after a server-side apply as homelab-reconciler, and after applying the
/// identical file again. Read from the shared folder, never copied into the repository.
/// </summary>
internal static class RealApiServer
{
    private static readonly Lazy<string> Folder = new(() => SharedFolder.Locate("real-apiserver"));

    /// <summary>Every object of a capture ("after-apply" or "after-reapply"), keyed "Kind/namespace/name".</summary>
    public static IReadOnlyDictionary<string, JsonObject> Objects(string capture) =>
        Lists(capture)
            .SelectMany(file => JsonNode.Parse(File.ReadAllText(file))!["items"]!.AsArray().OfType<JsonObject>())
            .ToDictionary(Key, o => o, StringComparer.Ordinal);

    /// <summary>The LIST answers of a capture, one file per kind.</summary>
    public static IEnumerable<string> Lists(string capture) =>
        Directory.EnumerateFiles(Path.Combine(Folder.Value, capture), "*.json").Order(StringComparer.Ordinal);

    /// <summary>
    /// A dry run's answer that changes a Deployment's first image: the stored object with the new value and the
    /// resourceVersion it was read at, as a kube-apiserver answers.
    /// </summary>
    public static JsonObject WithNewImage(JsonObject stored)
    {
        var answer = (JsonObject)stored.DeepClone();
        answer["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "docker.io/deluan/navidrome:0.59.0";
        return answer;
    }

    public static string Key(JsonObject item) =>
        $"{item["kind"]}/{item["metadata"]?["namespace"]}/{item["metadata"]!["name"]}";
}
