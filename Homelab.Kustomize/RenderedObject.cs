using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>One rendered object and where it came from.</summary>
/// <param name="Content">The object as kustomize writes it.</param>
/// <param name="Origin">The file it was read from, relative to the repository root, or the kustomization that generated it.</param>
public sealed record RenderedObject(JsonObject Content, string Origin);
