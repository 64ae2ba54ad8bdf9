using System.Collections.Concurrent;
using Homelab.Kustomize;
using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Kustomize.Corpus;

namespace Homelab.Tests.Native;

/// <summary>
/// The renderer is where trimming and AOT could quietly change a result (generated regexes, JSON and YAML without
/// reflection, culture-free formatting): the native <c>build</c> must print, for every directory of the real-world
/// corpus, exactly what the JIT build renders, and refuse exactly what it refuses.
/// </summary>
public sealed class NativeCorpusTests(NativeReconcilerFixture native) : IClassFixture<NativeReconcilerFixture>
{
    [CorpusFact]
    public async Task Build_renders_and_refuses_every_corpus_directory_as_the_jit_build()
    {
        var cases = KustomizeCorpus.Cases();
        var differences = new ConcurrentBag<string>();
        var (rendered, refused) = (0, 0);
        await Parallel.ForAsync(0, cases.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, cancellationToken) =>
        {
            var (repository, directory) = cases[i];
            var folder = Path.Combine(KustomizeCorpus.Root, repository);
            string? expected = null;
            string? refusal = null;
            try
            {
                expected = YamlOutput.Write(new KustomizeBuilder(BuildLimits.Default).Build(folder, directory));
            }
            catch (BuildException e)
            {
                refusal = e.Message;
            }

            // Run from the repository's folder, as the corpus test runs kubectl: that folder is the build's root.
            var built = await ProcessRunner.RunToExitAsync(native.Executable, ["build", directory], folder, cancellationToken: cancellationToken);
            if (expected is not null)
            {
                Interlocked.Increment(ref rendered);
                if (built.ExitCode != 0 || built.Output != expected)
                {
                    differences.Add($"{repository} {directory}: exit {built.ExitCode}, {(built.Output == expected ? "same output" : "different output")}; {built.Error.Trim()}");
                }
            }
            else
            {
                Interlocked.Increment(ref refused);
                if (built.ExitCode == 0 || !built.Error.Contains(refusal!, StringComparison.Ordinal))
                {
                    differences.Add($"{repository} {directory}: the JIT build refuses ({refusal}), the native one exits {built.ExitCode}: {built.Error.Trim()}");
                }
            }
        });

        Assert.Empty(differences);
        Assert.Equal(cases.Count, rendered + refused);
        Assert.True(rendered >= 247, $"only {rendered} corpus directories rendered");
    }
}
