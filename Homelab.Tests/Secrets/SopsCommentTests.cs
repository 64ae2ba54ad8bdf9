using System.Text.Json.Nodes;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Secrets;

/// <summary>
/// Comments kept as sops 3.x keeps them: encrypted in place as <c>#ENC[…,type:comment]</c> under the path of what holds
/// them (in the clear where the rules leave values in the clear), outside the MAC, and back to the same text on decrypt.
/// npm's sops-age still decrypts the values of such files.
/// </summary>
public sealed class SopsCommentTests
{
    private const string Yaml = """
        # who this is for
        user: admin # the owner
        settings:
          # the first admin's
          password: s3cr3t
          port: 8080
          # end of settings
        list:
        # first
          - one
          - two # second
        # the end

        """;

    private const string Dotenv = "# who this is for\nUSER=admin\n#no space\nPASSWORD=s3cr3t\n# the end\n";

    private static readonly AgeIdentity Identity = AgeIdentity.Generate();

    [Theory]
    [InlineData("secret.yaml", Yaml, 7)]
    [InlineData("secret.env", Dotenv, 3)]
    public async Task Comments_are_encrypted_in_place_and_decrypt_to_the_same_file(string name, string plaintext, int comments)
    {
        var encrypted = Expect(SopsFile.Encrypt(name, plaintext, new SopsCreationRule([Identity.Recipient], new SopsRules())));

        Assert.Equal(comments, encrypted.Split('\n').Count(l => l.TrimStart().StartsWith("#ENC[AES256_GCM,", StringComparison.Ordinal) || l.Contains(" #ENC[AES256_GCM,", StringComparison.Ordinal)));
        Assert.Equal(comments, CountOf(encrypted, ",type:comment]"));
        foreach (var word in new[] { "who this", "owner", "first admin", "end of", "second", "the end", "no space" })
        {
            Assert.DoesNotContain(word, encrypted, StringComparison.Ordinal);
        }

        Assert.Equal(plaintext, Expect(SopsFile.Decrypt(name, encrypted, [Identity])));
        var file = Path.Combine(Directory.CreateTempSubdirectory("homelab-sops-").FullName, name);
        await File.WriteAllTextAsync(file, encrypted);
        var values = SopsFileTests.Values(name, string.Join('\n', plaintext.Split('\n').Where(l => !l.StartsWith('#'))));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(values), await SopsAgeDecoder.DecryptAsync(file, Identity.SecretText())), "sops-age reads other values");
    }

    [Fact]
    public void A_file_indented_as_sops_writes_it_keeps_each_comment_in_its_place()
    {
        // go-yaml's four spaces, as sops writes files: the same comments, each where it was.
        var sopsStyle = Yaml.Replace("\n  ", "\n    ", StringComparison.Ordinal).Replace("\n# first\n", "\n    # first\n", StringComparison.Ordinal);
        Assert.NotEqual(Yaml, sopsStyle);

        var encrypted = Expect(SopsFile.Encrypt("s.yaml", sopsStyle, new SopsCreationRule([Identity.Recipient], new SopsRules())));

        Assert.Equal(Yaml, Expect(SopsFile.Decrypt("s.yaml", encrypted, [Identity])));
    }

    [Fact]
    public void A_comment_is_encrypted_only_where_the_rules_encrypt_values()
    {
        const string secret = "# the first admin\napiVersion: v1\nkind: Secret\nstringData:\n  # rotate yearly\n  password: s3cr3t\n";
        var encrypted = Expect(SopsFile.Encrypt("s.yaml", secret, new SopsCreationRule([Identity.Recipient], new SopsRules(EncryptedRegex: "^(data|stringData)$"))));

        Assert.StartsWith("# the first admin\n", encrypted, StringComparison.Ordinal);
        Assert.DoesNotContain("rotate yearly", encrypted, StringComparison.Ordinal);
        Assert.Equal(secret, Expect(SopsFile.Decrypt("s.yaml", encrypted, [Identity])));
    }

    [Fact]
    public void Comments_are_outside_the_MAC_and_one_written_in_the_clear_stays_as_it_is()
    {
        var encrypted = Expect(SopsFile.Encrypt("s.yaml", Yaml, new SopsCreationRule([Identity.Recipient], new SopsRules())));
        var lines = encrypted.Split('\n').ToList();
        // Drop one encrypted comment and add one in the clear, as an older sops or a hand edit leaves it.
        lines.RemoveAt(lines.FindIndex(l => l.StartsWith("#ENC[", StringComparison.Ordinal)));
        lines.Insert(0, "# added by hand");

        var decrypted = Expect(SopsFile.Decrypt("s.yaml", string.Join('\n', lines), [Identity]));

        Assert.StartsWith("# added by hand\nuser: admin # the owner\n", decrypted, StringComparison.Ordinal);
        Assert.Equal(SopsFileTests.Values("s.yaml", Yaml), SopsFileTests.Values("s.yaml", decrypted));
    }

    [Fact]
    public void Setting_a_value_keeps_the_comments_and_their_ciphertext()
    {
        var encrypted = Expect(SopsFile.Encrypt("s.yaml", Yaml, new SopsCreationRule([Identity.Recipient], new SopsRules())));

        var updated = Expect(SopsFile.SetValues("s.yaml", encrypted, [Identity], [KeyValuePair.Create("token", "t-1")]));

        Assert.All(encrypted.Split('\n').Where(l => l.Contains("type:comment]", StringComparison.Ordinal)), l => Assert.Contains(l, updated, StringComparison.Ordinal));
        Assert.Equal(Yaml.Replace("# the end\n", "# the end\ntoken: t-1\n", StringComparison.Ordinal), Expect(SopsFile.Decrypt("s.yaml", updated, [Identity])));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private static string Expect(SopsResult<string> result)
    {
        Assert.Null(result.Error);
        return result.Value!;
    }
}
