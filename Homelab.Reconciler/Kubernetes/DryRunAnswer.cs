using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>What a server-side apply sent as a dry run answered (<see cref="ApiServerAdapter.DryRunAsync"/>).</summary>
/// <param name="Sent">False when the dry run was not sent because it would have written: <paramref name="Warning"/> says why.</param>
/// <param name="Applied">The object as applying would leave it; null when nothing was sent, or the server could not validate it.</param>
/// <param name="Warning">What the caller must tell about this answer (a dry run that was stored, or not sent); null for none.</param>
public sealed record DryRunAnswer(bool Sent, JsonObject? Applied, string? Warning = null);
