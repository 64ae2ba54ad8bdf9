using System.Text.Json.Nodes;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Secrets;

/// <summary>
/// Setting values in an encrypted file (as <c>sops set</c> does): the new and replaced values under the file's own data key
/// and rules, every other line of ciphertext unchanged, a MAC that our reader and npm's sops-age both accept.
/// </summary>
public sealed class SopsSetValuesTests
{
    private static readonly AgeIdentity Identity = AgeIdentity.Generate();

    [Theory]
    [InlineData("secret.yaml")]
    [InlineData("secret.env")]
    public async Task A_set_value_is_added_under_the_same_data_key_and_the_others_keep_their_ciphertext(string name)
    {
        var plaintext = name.EndsWith(".env", StringComparison.Ordinal) ? "USER=admin\nPASSWORD=old\nNOTE_unencrypted=plain\n" : "USER: admin\nPASSWORD: old\nNOTE_unencrypted: plain\n";
        var before = Expect(SopsFile.Encrypt(name, plaintext, new SopsCreationRule([AgeIdentity.Generate().Recipient, Identity.Recipient], new SopsRules())));

        var after = Expect(SopsFile.SetValues(name, before, [Identity], [KeyValuePair.Create("API_KEY", "k-123"), KeyValuePair.Create("PASSWORD", "new")]));

        var file = Path.Combine(Directory.CreateTempSubdirectory("homelab-sops-").FullName, name);
        await File.WriteAllTextAsync(file, after);
        var expected = new JsonObject { ["USER"] = "admin", ["PASSWORD"] = "new", ["NOTE_unencrypted"] = "plain", ["API_KEY"] = "k-123" };
        Assert.Equal(expected.ToJsonString(), SopsFileTests.Values(name, Expect(SopsFile.Decrypt(name, after, [Identity]))));
        var decoded = await SopsAgeDecoder.DecryptAsync(file, Identity.SecretText());
        Assert.True(JsonNode.DeepEquals(expected, decoded), $"sops-age gave {decoded.ToJsonString()}");

        // The untouched value and both recipients' data keys are the same text; the replaced one is not.
        Assert.Contains(Line(before, "USER"), after, StringComparison.Ordinal);
        Assert.DoesNotContain(Line(before, "PASSWORD"), after, StringComparison.Ordinal);
        Assert.Equal(Recipients(before), Recipients(after));
        Assert.DoesNotContain("k-123", after, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_fails_its_MAC_or_opens_with_no_identity_is_not_rewritten()
    {
        var before = Expect(SopsFile.Encrypt("s.yaml", "a: one\nb: two\n", new SopsCreationRule([Identity.Recipient], new SopsRules())));
        var edited = string.Join('\n', before.Split('\n').Where(l => !l.StartsWith("b:", StringComparison.Ordinal)));

        Assert.Equal(SopsErrorKind.MacMismatch, SopsFile.SetValues("s.yaml", edited, [Identity], [KeyValuePair.Create("c", "three")]).Error?.Kind);
        Assert.Equal(SopsErrorKind.NoMatchingKey, SopsFile.SetValues("s.yaml", before, [AgeIdentity.Generate()], [KeyValuePair.Create("c", "three")]).Error?.Kind);
    }

    /// <summary>The line (YAML) or lines (dotenv) holding a key's encrypted value.</summary>
    private static string Line(string text, string key) =>
        Assert.Single(text.Split('\n'), l => l.StartsWith(key + ": ENC[", StringComparison.Ordinal) || l.StartsWith(key + "=ENC[", StringComparison.Ordinal));

    /// <summary>The age-wrapped data keys: the YAML block between age and lastmodified, dotenv's flattened sops_age lines.</summary>
    private static string Recipients(string text) => text.Contains("sops_age__", StringComparison.Ordinal)
        ? string.Join('\n', text.Split('\n').Where(l => l.StartsWith("sops_age__", StringComparison.Ordinal)))
        : text[text.IndexOf("age:", StringComparison.Ordinal)..text.IndexOf("lastmodified:", StringComparison.Ordinal)];

    private static string Expect(SopsResult<string> result)
    {
        Assert.Null(result.Error);
        return result.Value!;
    }
}
