namespace Homelab.Tests.Infrastructure;

/// <summary>Tests against the shared DCP: one at a time, each with its own name prefix.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DcpCollection : ICollectionFixture<DcpFixture>
{
    public const string Name = "DCP API server";
}
