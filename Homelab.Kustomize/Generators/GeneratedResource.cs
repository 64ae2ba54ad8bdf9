namespace Homelab.Kustomize;

/// <summary>A generated ConfigMap or Secret and what its generator entry asks for when one of that name exists.</summary>
/// <param name="Resource">The generated object.</param>
/// <param name="Behavior"><c>create</c> (the default: a clash is an error), <c>merge</c> or <c>replace</c>.</param>
/// <param name="Field">The generator entry, for error messages.</param>
internal sealed record GeneratedResource(Resource Resource, string Behavior, string Field);
