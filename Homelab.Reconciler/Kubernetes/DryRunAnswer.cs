using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>What a server-side apply sent as a dry run answered (<see cref="ApiServerAdapter.DryRunAsync"/>).</summary>
/// <param name="Applied">The object as applying would leave it; null when nothing was sent, or the server could not validate it.</param>
/// <param name="NotSentBecause">
/// Set when the dry run was not sent because this server would have stored it: how that is known, as a phrase.
/// </param>
/// <param name="Stored">A preview's dry run was found stored by the server: it changed the object.</param>
public sealed record DryRunAnswer(JsonObject? Applied, string? NotSentBecause = null, bool Stored = false)
{
    /// <summary>Whether the dry run reached the server.</summary>
    public bool Sent => NotSentBecause is null;
}
