namespace Homelab.Tests.Reconciler.Architecture;

/// <summary>
/// Issue 18: the folders of the reconciler show its architecture only if no two of them use each other,
/// directly or around a loop (ObjectReference in Inventory/ made Apply and Inventory a cycle).
/// </summary>
public sealed class FolderCycleTests
{
    private static readonly FolderGraph Graph = FolderGraph.Read(Path.Combine(TestPaths.RepositoryRoot, "Homelab.Reconciler"), "Homelab.Reconciler");

    [Fact]
    public void No_two_folders_of_the_reconciler_depend_on_each_other()
    {
        var cycles = Graph.Cycles().Select(Graph.Describe).ToList();

        Assert.True(cycles.Count == 0, $"folder cycles:\n{string.Join('\n', cycles)}");
    }

    [Fact]
    public void The_graph_sees_the_reconcilers_folders_and_their_uses()
    {
        // The cycle check is not vacuous: the pipeline's folder is found and uses the stages it runs.
        Assert.Contains("Reconcile", Graph.Folders);
        Assert.True(Graph.Uses("Reconcile").ContainsKey("Source"));
        Assert.True(Graph.Uses("Reconcile").ContainsKey("Apply"));
    }
}
