namespace Homelab.Tests.Kustomize.Corpus;

/// <summary>A test over the corpus alone (no kubectl): skipped, with the reason, where the archive is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        Skip = KustomizeCorpus.MissingReason;
    }
}
