namespace Homelab.Tests.Kustomize.Corpus;

/// <summary>A corpus test: skipped, with the reason, where kubectl or the corpus archive is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KubectlCorpusFactAttribute : FactAttribute
{
    public KubectlCorpusFactAttribute()
    {
        if (KustomizeCorpus.MissingReason is { } missing)
        {
            Skip = missing;
        }
        else if (!OnPath("kubectl"))
        {
            Skip = "kubectl is not on PATH: the corpus is compared against `kubectl kustomize`";
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(folder => folder.Length > 0 && File.Exists(Path.Combine(folder, program)));
}
