namespace Homelab.Kustomize;

/// <summary>Caps that keep a hostile or broken repository from exhausting the process that renders it.</summary>
/// <param name="MaxFileBytes">Largest file the builder reads. <value>Defaults to 4 MiB.</value></param>
/// <param name="MaxAliasExpansions">
/// Budget of YAML nodes produced by alias resolution in one file (an alias costs the size of what it copies).
/// <value>Defaults to 10,000.</value>
/// </param>
/// <param name="MaxDepth">Deepest kustomization nesting. <value>Defaults to 32.</value></param>
/// <param name="MaxYamlDepth">
/// Deepest nesting of mappings and sequences in a YAML document and in a rendered object. It is
/// System.Text.Json's default, so every later hash and request body can be written; deep CRD schemas
/// stay under 40. <value>Defaults to 64.</value>
/// </param>
public sealed record BuildLimits(long MaxFileBytes = 4 * 1024 * 1024, int MaxAliasExpansions = 10_000, int MaxDepth = 32, int MaxYamlDepth = 64)
{
    /// <summary>The default limits.</summary>
    public static BuildLimits Default { get; } = new();
}
