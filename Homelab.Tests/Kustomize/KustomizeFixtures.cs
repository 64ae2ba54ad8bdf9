namespace Homelab.Tests.Kustomize;

/// <summary>Locates the kustomize fixtures (testdata/kustomize/&lt;scenario&gt;).</summary>
internal static class KustomizeFixtures
{
    public static string Root { get; } = Path.Combine(TestPaths.RepositoryRoot, "Homelab.Tests", "testdata", "kustomize");

    public static string Scenario(string name) => Path.Combine(Root, name);
}
