namespace Homelab.Tests.Kustomize.Corpus;

/// <summary>How one corpus directory compared: identical, or the cause of the difference.</summary>
/// <param name="Name">"repository directory".</param>
/// <param name="Cause">Null when identical; otherwise a short cause shared by similar failures.</param>
/// <param name="Detail">What exactly differed, for the failure list.</param>
internal sealed record CorpusCase(string Name, string? Cause, string Detail = "")
{
    public bool Identical => Cause is null;
}
