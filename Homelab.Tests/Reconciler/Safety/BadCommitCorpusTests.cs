using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Cli;

namespace Homelab.Tests.Reconciler.Safety;

/// <summary>
/// The bad-input corpus (testdata/bad-commits/&lt;case&gt;): each case is a real commit over a good revision,
/// reconciled against a real DCP. It must fail with a reason naming the file and the cause, create,
/// change or delete nothing on the server, and the next good commit must recover.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class BadCommitCorpusTests(DcpFixture dcp)
{
    private const string ClusterPath = "clusters/test";
    private static readonly string Corpus = Path.Combine(TestPaths.RepositoryRoot, "Homelab.Tests", "testdata", "bad-commits");

    public static TheoryData<string> Cases() => [.. Directory.EnumerateDirectories(Corpus).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_corpus_has_at_least_25_cases() => Assert.True(Cases().Count >= 25, $"{Cases().Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_commit_fails_clearly_touches_nothing_and_the_next_good_commit_recovers(string name)
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        using var api = dcp.Server.Connect();
        repository.Write($"{ClusterPath}/good.yaml", Yaml.Executable($"{prefix}-good")).Commit("good");
        Assert.Equal(0, (await ReconcileAsync(repository, state)).ExitCode);
        var before = await Live.SnapshotAsync(api);

        Directory.Delete(Path.Combine(repository.Root, ClusterPath), recursive: true);
        var caseFolder = Path.Combine(Corpus, name);
        foreach (var file in Directory.EnumerateFiles(caseFolder, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) is not ("expect.txt" or "generate.txt")))
        {
            var target = Path.Combine(repository.Root, ClusterPath, Path.GetRelativePath(caseFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Generate(repository, Path.Combine(caseFolder, "generate.txt"));
        repository.Commit($"bad: {name}");

        var bad = await ReconcileAsync(repository, state);

        Assert.NotEqual(0, bad.ExitCode);
        foreach (var expected in File.ReadAllLines(Path.Combine(caseFolder, "expect.txt")).Where(l => l.Length > 0))
        {
            Assert.Contains(expected, bad.Output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", bad.Output, StringComparison.Ordinal);
        Assert.Equal(before, await Live.SnapshotAsync(api));

        // The next good commit recovers.
        if (Directory.Exists(Path.Combine(repository.Root, ClusterPath)))
        {
            Directory.Delete(Path.Combine(repository.Root, ClusterPath), recursive: true);
        }

        repository.Write($"{ClusterPath}/good.yaml", Yaml.Executable($"{prefix}-good")).Write($"{ClusterPath}/next.yaml", Yaml.Executable($"{prefix}-next")).Commit("good again");
        var good = await ReconcileAsync(repository, state);
        Assert.True(good.ExitCode == 0, good.Output);
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-next"));
    }

    /// <summary>Cases that cannot live in Git as plain files: a symlink out of the repository, a big file, folders nested too deep, a deleted folder.</summary>
    private static void Generate(GitRepository repository, string instructions)
    {
        if (!File.Exists(instructions))
        {
            return;
        }

        var words = File.ReadAllText(instructions).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (words[0])
        {
            case "symlink":
                Directory.CreateDirectory(Path.Combine(repository.Root, ClusterPath));
                File.CreateSymbolicLink(Path.Combine(repository.Root, ClusterPath, words[1]), words[3]);
                break;
            case "huge":
                repository.Write($"{ClusterPath}/{words[1]}", "# " + new string('x', int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture)) + "\n");
                break;
            case "deep":
                var folders = string.Concat(Enumerable.Repeat("d/", int.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture)));
                repository.Write($"{ClusterPath}/{folders}a.yaml", Yaml.Executable("too-deep"));
                break;
            case "delete":
                repository.Write("README.md", "the cluster folder is gone\n");
                break;
            default:
                throw new InvalidOperationException($"unknown instruction {words[0]}");
        }
    }

    private Task<CliResult> ReconcileAsync(GitRepository repository, string state) =>
        ReconcileOnceTests.RunCliAsync("reconcile", "--once", "--source", repository.Root, "--path", ClusterPath, "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", state, "--quiet");
}
