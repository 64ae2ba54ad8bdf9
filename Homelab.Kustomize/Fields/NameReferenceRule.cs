namespace Homelab.Kustomize;

/// <summary>A field (<paramref name="Referrer"/>) that holds the name of an object of kind <paramref name="ReferralKind"/>.</summary>
internal sealed record NameReferenceRule(string ReferralKind, FieldSpec Referrer);
