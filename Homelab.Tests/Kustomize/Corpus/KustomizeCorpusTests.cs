using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Homelab.Kustomize;
using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Homelab.Tests.Kustomize.Corpus;

/// <summary>
/// Builds every directory of the real-world corpus with our renderer and with <c>kubectl kustomize</c>, from the
/// repository's folder as kubectl runs, and counts the directories whose objects are identical, types included.
/// Our side goes through the <c>build</c> verb's YAML printer and back, so a string printed so that it reads as
/// another type counts as a difference.
/// </summary>
public sealed partial class KustomizeCorpusTests(ITestOutputHelper output)
{
    /// <summary>The figure reached: parity may only rise (README states it).</summary>
    private const int MinimumIdentical = 247;

    [KubectlCorpusFact]
    public async Task Renders_the_corpus_like_kubectl_kustomize()
    {
        var cases = KustomizeCorpus.Cases();
        var results = new CorpusCase[cases.Count];
        await Parallel.ForAsync(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) => results[i] = await CompareAsync(cases[i].Repository, cases[i].Directory));

        var identical = results.Count(r => r.Identical);
        output.WriteLine($"corpus: {identical} of {results.Length} identical");
        foreach (var group in results.Where(r => !r.Identical).GroupBy(r => r.Cause).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Count(),4}  {group.Key}");
            foreach (var result in group)
            {
                output.WriteLine($"        {result.Name}: {result.Detail}");
            }
        }
        Assert.DoesNotContain(results, r => r.Cause?.StartsWith("crash", StringComparison.Ordinal) == true);
        Assert.True(identical >= MinimumIdentical, $"corpus: {identical} of {results.Length} identical, below the {MinimumIdentical} reached before");
    }

    private static async Task<CorpusCase> CompareAsync(string repository, string directory)
    {
        var name = $"{repository} {directory}";
        var folder = Path.Combine(KustomizeCorpus.Root, repository);
        var (exitCode, stdout, stderr) = await ProcessRunner.RunToExitAsync("kubectl", ["kustomize", directory], folder);
        if (exitCode != 0)
        {
            return new(name, "kubectl kustomize fails", FirstLine(stderr));
        }
        var expected = Parse(stdout);

        List<JsonNode?> actual;
        try
        {
            actual = Parse(YamlOutput.Write(new KustomizeBuilder(BuildLimits.Default).Build(folder, directory)));
        }
        catch (BuildException e)
        {
            return new(name, $"error: {(e.Field is null ? "" : Indices().Replace(e.Field, "[]") + ": ")}{Quoted().Replace(e.Message[(e.Message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..], "'…'")}", e.Message);
        }
#pragma warning disable CA1031 // Any other exception is the crash this test counts.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new(name, $"crash: {e.GetType().Name}", e.ToString());
        }

        if (expected.Count != actual.Count)
        {
            return new(name, "different object count", $"{expected.Count} expected, {actual.Count} rendered: missing {string.Join(", ", expected.Select(Key).Except(actual.Select(Key)))}; extra {string.Join(", ", actual.Select(Key).Except(expected.Select(Key)))}");
        }
        for (var i = 0; i < expected.Count; i++)
        {
            if (JsonDifference.First(expected[i], actual[i]) is { } difference)
            {
                var path = difference[..difference.IndexOf(": ", StringComparison.Ordinal)];
                return new(name, $"differs at {JsonDifference.Shape(path)}", $"{Key(expected[i])}: {difference}");
            }
        }
        return new(name, null);
    }

    private static List<JsonNode?> Parse(string yaml) =>
        [.. new YamlToJson("output", BuildLimits.Default with { MaxAliasExpansions = int.MaxValue }).ReadDocuments(yaml).Where(d => d is not null)];

    private static string Key(JsonNode? node) =>
        $"{node?["kind"]} {node?["metadata"]?["namespace"]}/{node?["metadata"]?["name"]}";

    private static string FirstLine(string text) => text.Split('\n')[0];

    [GeneratedRegex(@"\[[0-9]+\]")]
    private static partial Regex Indices();

    [GeneratedRegex(@"'[^']*'")]
    private static partial Regex Quoted();
}
