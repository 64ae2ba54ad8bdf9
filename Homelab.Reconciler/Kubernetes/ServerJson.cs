using System.Text.Json;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>How the server's answers are read.</summary>
internal static class ServerJson
{
    /// <summary>
    /// An answer holds an object the builder let through at up to 64 levels, and its managedFields mirror
    /// that object a few levels deeper than System.Text.Json's default of 64 allows.
    /// </summary>
    public static JsonDocumentOptions Reading { get; } = new() { MaxDepth = 256 };
}
