namespace Homelab.Reconciler.Status;

/// <summary>One object of the inventory with its health, as <c>/status</c> and the status page show it.</summary>
/// <param name="ApiVersion">Its apiVersion.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Namespace">Its namespace; null when cluster-scoped.</param>
/// <param name="Name">Its name.</param>
/// <param name="Health">A <see cref="Health.HealthState"/>'s name: Healthy, Progressing, Degraded, Failed, Missing or Unknown.</param>
/// <param name="Message">Why, unless healthy.</param>
/// <param name="CheckedAt">When the cycle whose health wait judged it ended; null when none has.</param>
public sealed record ManagedObject(string ApiVersion, string Kind, string? Namespace, string Name, string Health, string? Message, DateTimeOffset? CheckedAt);
