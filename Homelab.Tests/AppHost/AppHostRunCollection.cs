namespace Homelab.Tests.AppHost;

/// <summary>Tests that start the AppHost share fixed host ports: they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostRunCollection
{
    public const string Name = "AppHost run";
}
