using Homelab.Reconciler.Kubernetes;

namespace Homelab.Tests.Reconciler.Apply;

/// <summary>
/// The applier plans, validates and writes against a conformant API server (issue 18, item 3): what one
/// server does differently (DCP's apply that cannot create, its stored dry runs) is known only to
/// <see cref="ApiServerAdapter"/>, at the edge of the API client.
/// </summary>
public sealed class ApplyFolderTests
{
    /// <summary>
    /// Words that only code about one server's quirks uses. Not "stores dry runs": <c>ChangeReason</c>'s texts tell
    /// people what a server did (<c>unchecked: the API server stores dry runs (…)</c>), which is no logic about it.
    /// </summary>
    public static TheoryData<string> QuirkWords() =>
    [
        "DCP",
        nameof(ApiServerAdapter.CreatesByApply),
        nameof(ApiServerAdapter.DryRunsWritten),
        "DryRunEvidence",
        "InternalServerError",
        "Object interfaces",
        "probe",
    ];

    [Theory]
    [MemberData(nameof(QuirkWords))]
    public void No_file_under_Apply_knows_a_servers_quirks(string word)
    {
        var files = Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "Homelab.Reconciler", "Apply"), "*.cs", SearchOption.AllDirectories).ToList();

        Assert.NotEmpty(files);
        Assert.Empty(files.Where(f => File.ReadAllText(f).Contains(word, StringComparison.OrdinalIgnoreCase)).Select(Path.GetFileName));
    }
}
