using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Kubernetes;

/// <summary>
/// A stored dry run told from a real kube-apiserver's answers for our tree (<see cref="RealApiServer"/>):
/// its dry run answers with the resourceVersion it read, and its controllers write objects between our
/// read and our dry run. DCP's stored dry runs are in <see cref="Apply.ServerSideApplierTests"/>.
/// </summary>
public sealed class DryRunEvidenceTests
{
    private const string Navidrome = "Deployment/homelab/navidrome";

    [Fact]
    public void A_real_servers_answer_with_the_resource_version_it_read_is_no_evidence()
    {
        var read = RealApiServer.Objects("after-apply")[Navidrome];

        Assert.False(DryRunEvidence.Suspect(read, RealApiServer.WithNewImage(read), Ownership.FieldManager));
    }

    [Fact]
    public void A_write_by_someone_else_between_read_and_dry_run_is_not_taken_for_a_stored_dry_run()
    {
        // Between our read and our dry run the server wrote the Deployment again (resourceVersion moved, our fields did not).
        var read = RealApiServer.Objects("after-apply")[Navidrome];
        var stored = RealApiServer.Objects("after-reapply")[Navidrome];
        var answer = RealApiServer.WithNewImage(stored);

        Assert.True(DryRunEvidence.Suspect(read, answer, Ownership.FieldManager));
        Assert.False(DryRunEvidence.Stored(stored, answer, Ownership.FieldManager));
        Assert.True(DryRunEvidence.Stored(answer, answer, Ownership.FieldManager));
    }
}
