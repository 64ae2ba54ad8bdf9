namespace Homelab.Secrets.Sops;

/// <summary>One entry of <c>sops.age</c>: a recipient and the data key age-encrypted (armored) to it.</summary>
internal sealed record SopsAgeKey(string Recipient, string Enc);
