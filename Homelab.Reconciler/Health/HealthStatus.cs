namespace Homelab.Reconciler.Health;

/// <summary>One object's health and, unless healthy, why.</summary>
public sealed record HealthStatus(HealthState State, string? Message = null)
{
    public static HealthStatus Healthy { get; } = new(HealthState.Healthy);

    public static HealthStatus Progressing(string message) => new(HealthState.Progressing, message);

    public override string ToString() => Message is null ? State.ToString() : $"{State}: {Message}";
}
