using System.Text.Json.Nodes;
using Homelab.Kustomize;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Kustomize;

/// <summary>
/// Renders each fixture with <see cref="KustomizeBuilder"/> and with <c>kubectl kustomize</c>, and
/// requires the same objects in the same order (kustomize's legacy order), compared with JsonNode.DeepEquals.
/// </summary>
public sealed class KustomizeParityTests
{
    /// <summary>Fixtures whose folder has no kustomization file: kubectl gets a Flux-style generated one.</summary>
    private const string PlainPrefix = "plain-";

    private static readonly string[] KustomizationFileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.EnumerateDirectories(KustomizeFixtures.Root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (name != "errors")
            {
                data.Add(name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Renders_the_same_objects_as_kubectl_kustomize(string scenario)
    {
        var dir = KustomizeFixtures.Scenario(scenario);

        var actual = new KustomizeBuilder(BuildLimits.Default).Build(dir, ".");
        var expected = scenario.StartsWith(PlainPrefix, StringComparison.Ordinal)
            ? await KubectlKustomizeWithGeneratedKustomizationAsync(dir)
            : await KubectlKustomizeAsync(dir);

        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expected[i], actual[i]),
                $"object {i} differs\nexpected: {expected[i]?.ToJsonString()}\nactual:   {actual[i].ToJsonString()}");
        }
    }

    private static async Task<List<JsonNode?>> KubectlKustomizeAsync(string dir)
    {
        var stdout = await ProcessRunner.RunAsync("kubectl", ["kustomize", dir]);
        return [.. new YamlToJson("kubectl-output", BuildLimits.Default).ReadDocuments(stdout).Where(d => d is not null)];
    }

    /// <summary>Copies the folder and writes the kustomization Flux would generate (files and sub-folders, walked in order).</summary>
    private static async Task<List<JsonNode?>> KubectlKustomizeWithGeneratedKustomizationAsync(string dir)
    {
        var copy = Directory.CreateTempSubdirectory("kustomize-plain-").FullName;
        try
        {
            var resources = new List<string>();
            Collect(dir, dir, resources);
            CopyTree(dir, copy);
            File.WriteAllLines(Path.Combine(copy, "kustomization.yaml"), ["resources:", .. resources.Select(r => $"  - {r}")]);
            return await KubectlKustomizeAsync(copy);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static void Collect(string root, string dir, List<string> resources)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, entry).Replace('\\', '/');
            if (Directory.Exists(entry))
            {
                if (KustomizationFileNames.Any(n => File.Exists(Path.Combine(entry, n))))
                {
                    resources.Add(relative);
                }
                else
                {
                    Collect(root, entry, resources);
                }
            }
            else if (entry.EndsWith(".yaml", StringComparison.Ordinal) || entry.EndsWith(".yml", StringComparison.Ordinal))
            {
                resources.Add(relative);
            }
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
