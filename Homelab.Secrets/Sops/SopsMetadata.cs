using System.Globalization;

namespace Homelab.Secrets.Sops;

/// <summary>The <c>sops</c> block: the age-wrapped data keys, when it was last written, the encrypted MAC and the rules.</summary>
internal sealed record SopsMetadata(IReadOnlyList<SopsAgeKey> Age, string LastModified, string Mac, SopsRules Rules, string Version)
{
    /// <summary>The sops release whose file format this follows and writes as <c>version</c>.</summary>
    public const string FormatVersion = "3.9.4";

    public const string Key = "sops";

    private static readonly string[] OtherKeyTypes = ["pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "hckms"];

    /// <summary>lastmodified as sops authenticates the MAC with it: reparsed and written as Go's RFC 3339 (seconds, Z for UTC).</summary>
    public string MacAdditionalData =>
        DateTimeOffset.TryParse(LastModified, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? Rfc3339(time)
            : throw new SopsException(SopsErrorKind.Malformed, $"sops.lastmodified '{LastModified}' is not an RFC 3339 time");

    public static string Rfc3339(DateTimeOffset time) =>
        time.Offset == TimeSpan.Zero
            ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Reads the block; non-age keys are ignored when age keys exist, refused when they are all there is.</summary>
    public static SopsMetadata Read(SopsNode? node)
    {
        if (node is not SopsMapping block)
        {
            throw new SopsException(SopsErrorKind.Malformed, "the file has no sops metadata (is it encrypted?)");
        }

        if (block["key_groups"] is SopsSequence { Items.Count: > 0 })
        {
            throw new SopsException(SopsErrorKind.Unsupported, "key_groups (Shamir secret sharing) are not supported: use a flat age recipient list");
        }

        if (Text(block, "unencrypted_comment_regex") is { Length: > 0 } || Text(block, "encrypted_comment_regex") is { Length: > 0 })
        {
            throw new SopsException(SopsErrorKind.Unsupported, "unencrypted_comment_regex and encrypted_comment_regex are not supported");
        }

        var age = new List<SopsAgeKey>();
        if (block["age"] is SopsSequence list)
        {
            foreach (var item in list.Items)
            {
                if (item is not SopsMapping entry || Text(entry, "recipient") is not { } recipient || Text(entry, "enc") is not { } enc)
                {
                    throw new SopsException(SopsErrorKind.Malformed, "sops.age holds an entry without recipient and enc");
                }

                age.Add(new SopsAgeKey(recipient, enc));
            }
        }

        if (age.Count == 0)
        {
            var others = OtherKeyTypes.Where(k => block[k] is SopsSequence { Items.Count: > 0 });
            throw new SopsException(SopsErrorKind.Unsupported, $"the file has no age recipients (only: {string.Join(", ", others.DefaultIfEmpty("none"))}); only age is supported");
        }

        var rules = new SopsRules(Text(block, "unencrypted_suffix"), Text(block, "encrypted_suffix"), Text(block, "unencrypted_regex"), Text(block, "encrypted_regex"),
            block["mac_only_encrypted"] is SopsScalar { Value: true or "true" or "True" });
        return new SopsMetadata(
            age,
            Text(block, "lastmodified") ?? throw new SopsException(SopsErrorKind.Malformed, "sops.lastmodified is missing"),
            Text(block, "mac") ?? throw new SopsException(SopsErrorKind.Malformed, "sops.mac is missing"),
            rules.Normalized(),
            Text(block, "version") ?? string.Empty);
    }

    /// <summary>The block as sops writes it (its keys sorted, as Go's map encoding gives them).</summary>
    public SopsMapping ToNode()
    {
        var entries = new List<KeyValuePair<string, SopsNode>>
        {
            new("age", new SopsSequence([.. Age.Select(a => (SopsNode)new SopsMapping([new("enc", new SopsScalar(a.Enc)), new("recipient", new SopsScalar(a.Recipient))]))])),
        };
        Add("encrypted_regex", Rules.EncryptedRegex);
        Add("encrypted_suffix", Rules.EncryptedSuffix);
        entries.Add(new("lastmodified", new SopsScalar(LastModified)));
        entries.Add(new("mac", new SopsScalar(Mac)));
        if (Rules.MacOnlyEncrypted)
        {
            entries.Add(new("mac_only_encrypted", new SopsScalar(true)));
        }

        Add("unencrypted_regex", Rules.UnencryptedRegex);
        Add("unencrypted_suffix", Rules.UnencryptedSuffix);
        entries.Add(new("version", new SopsScalar(Version)));
        return new SopsMapping(entries);

        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                entries.Add(new(key, new SopsScalar(value)));
            }
        }
    }

    private static string? Text(SopsMapping mapping, string key) => mapping[key] switch
    {
        SopsScalar { Value: string text } => text,
        SopsScalar { Value: bool or long or double } scalar => Convert.ToString(scalar.Value, CultureInfo.InvariantCulture),
        _ => null,
    };
}
