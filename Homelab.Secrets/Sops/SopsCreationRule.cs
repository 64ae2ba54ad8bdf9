using Homelab.Secrets.Age;

namespace Homelab.Secrets.Sops;

/// <summary>What a new SOPS file is encrypted to and which of its values: a <c>.sops.yaml</c> creation rule.</summary>
public sealed record SopsCreationRule(IReadOnlyList<AgeRecipient> Recipients, SopsRules Rules);
