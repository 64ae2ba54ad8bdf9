namespace Homelab.Reconciler.Apply;

/// <summary>
/// Why a <see cref="Change"/> is what it is: a kind code decides (drift, adoption), the text is only for people
/// and reads as kubectl-style output always has ("drift repaired: fields taken over from kubectl-patch").
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Detail">The kind's particulars (an owner key, field managers, the evidence); null when it has none.</param>
public sealed record ChangeReason(ChangeReasonKind Kind, string? Detail = null)
{
    private const string DryRunStoredText = "changed by this dry run: the API server stores dry runs";

    /// <summary>A diff's dry run of this object was stored by the server as well (<see cref="ChangeReasonKind.DryRunStored"/>).</summary>
    public bool AlsoDryRunStored { get; init; }

    public static ChangeReason DryRunStored { get; } = new(ChangeReasonKind.DryRunStored);

    /// <summary>Taken back from <paramref name="managers"/> (none known: an empty list).</summary>
    public static ChangeReason DriftRepaired(IReadOnlyCollection<string> managers) =>
        new(ChangeReasonKind.DriftRepaired, managers.Count == 0 ? null : string.Join(", ", managers));

    /// <summary>This reason, and the diff's dry run stored too.</summary>
    public static ChangeReason WithDryRunStored(ChangeReason? reason) =>
        reason is null ? DryRunStored : reason with { AlsoDryRunStored = true };

    public override string ToString()
    {
        var text = Kind switch
        {
            ChangeReasonKind.KindNotServedYet => "kind not served yet",
            ChangeReasonKind.ReconcileDisabled => "reconcile disabled",
            ChangeReasonKind.Unchecked => $"unchecked: the API server stores dry runs ({Detail})",
            ChangeReasonKind.OwnerRecorded => "owner recorded",
            ChangeReasonKind.Adopted => $"adopted from another source or path ({Ownership.OwnerLabel}={Detail})",
            ChangeReasonKind.InterruptedApply => "completing an interrupted apply",
            ChangeReasonKind.DriftRepaired => Detail is null ? "drift repaired" : $"drift repaired: fields taken over from {Detail}",
            ChangeReasonKind.DryRunStored => DryRunStoredText,
            ChangeReasonKind.KindNoLongerServed => "kind no longer served",
            ChangeReasonKind.AlreadyGone => "already gone",
            ChangeReasonKind.NotLabelledAsOurs => "not labelled as ours",
            ChangeReasonKind.OwnedByAnother => $"owned by another source or path ({Ownership.OwnerLabel}={Detail})",
            ChangeReasonKind.PruneDisabled => "prune disabled",
            _ => Kind.ToString(),
        };
        return AlsoDryRunStored ? $"{text}; {DryRunStoredText}" : text;
    }
}
