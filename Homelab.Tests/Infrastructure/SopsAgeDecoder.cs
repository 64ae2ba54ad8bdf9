using System.Text.Json.Nodes;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// npm's sops-age (pinned in eng/interop/sops-age, installed by eng/install-interop.sh): an independent SOPS + age
/// decoder. It decrypts a file with the identity given in its environment and prints the values as JSON.
/// </summary>
internal static class SopsAgeDecoder
{
    public static async Task<JsonNode> DecryptAsync(string file, string identity)
    {
        var folder = Path.Combine(TestPaths.RepositoryRoot, "eng", "interop", "sops-age");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "sops-age")), "sops-age is not installed: run eng/install-interop.sh");
        var json = await ProcessRunner.RunAsync("node", [Path.Combine(folder, "decrypt.mjs"), file], folder, new Dictionary<string, string?> { ["SOPS_AGE_KEY"] = identity });
        return JsonNode.Parse(json)!;
    }
}
