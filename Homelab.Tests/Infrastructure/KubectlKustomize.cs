using System.Text.Json.Nodes;
using Homelab.Kustomize;

namespace Homelab.Tests.Infrastructure;

/// <summary><c>kubectl kustomize</c>, the reference renderer.</summary>
internal static class KubectlKustomize
{
    /// <summary>Asserts that <paramref name="actual"/> holds what kubectl renders from <paramref name="folder"/>: the same objects, in the same order.</summary>
    public static async Task AssertRendersAsync(string folder, IReadOnlyList<JsonObject> actual)
    {
        var expected = new YamlToJson("kubectl", BuildLimits.Default).ReadDocuments(await ProcessRunner.RunAsync("kubectl", ["kustomize", folder])).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expected[i], actual[i]), $"object {i} differs\nexpected: {expected[i]?.ToJsonString()}\nactual:   {actual[i].ToJsonString()}");
        }
    }
}
