using System.Text.Json.Nodes;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;

namespace Homelab.Tests.Secrets;

/// <summary>SOPS files in memory: round trips per format, which values are encrypted, and every failure a typed error naming the file.</summary>
public sealed class SopsFileTests
{
    private static readonly AgeIdentity Identity = AgeIdentity.Generate();
    private static readonly SopsCreationRule Rule = new([Identity.Recipient], new SopsRules());

    [Theory]
    [InlineData("secret.yaml", SopsSamples.Yaml)]
    [InlineData("secret.json", SopsSamples.Json)]
    [InlineData("secret.env", SopsSamples.Dotenv)]
    public void A_file_round_trips_to_the_same_values(string name, string plaintext)
    {
        var encrypted = Encrypt(name, plaintext);
        Assert.Contains("ENC[AES256_GCM,data:", encrypted, StringComparison.Ordinal);
        Assert.Contains(Identity.Recipient.Text, encrypted, StringComparison.Ordinal);
        var decrypted = Decrypt(name, encrypted);
        Assert.Equal(Values(name, plaintext), Values(name, decrypted));
    }

    [Fact]
    public void Every_value_is_encrypted_and_typed_except_unencrypted_suffix_keys_empty_strings_and_nulls()
    {
        var encrypted = Encrypt("secret.yaml", SopsSamples.Yaml);
        Assert.DoesNotContain("s3cr3t", encrypted, StringComparison.Ordinal);
        Assert.DoesNotContain("navidrome-admin", encrypted, StringComparison.Ordinal);
        Assert.Contains("note_unencrypted: stays readable", encrypted, StringComparison.Ordinal);
        Assert.Contains("unencrypted_suffix: _unencrypted", encrypted, StringComparison.Ordinal);
        Assert.Contains("empty: \"\"", encrypted, StringComparison.Ordinal);
        Assert.Contains("nothing: null", encrypted, StringComparison.Ordinal);
        foreach (var type in new[] { "str", "int", "float", "bool" })
        {
            Assert.Contains($",type:{type}]", encrypted, StringComparison.Ordinal);
        }

        Assert.Contains("version: 3.9.4", encrypted, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypted_regex_encrypts_only_the_matching_keys_and_their_children()
    {
        var rule = new SopsCreationRule([Identity.Recipient], new SopsRules(EncryptedRegex: "^(data|stringData)$"));
        var encrypted = Expect(SopsFile.Encrypt("secret.yaml", SopsSamples.Yaml, rule));
        Assert.Contains("name: navidrome-admin", encrypted, StringComparison.Ordinal);
        Assert.Contains("kind: Secret", encrypted, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", encrypted, StringComparison.Ordinal);
        // The suffix default does not apply once a selector is set: note_unencrypted is under stringData, so encrypted.
        Assert.DoesNotContain("stays readable", encrypted, StringComparison.Ordinal);
        Assert.Contains("encrypted_regex: ^(data|stringData)$", encrypted, StringComparison.Ordinal);
        Assert.Equal(Values("s.yaml", SopsSamples.Yaml), Values("s.yaml", Decrypt("secret.yaml", encrypted)));
    }

    [Fact]
    public void A_flipped_byte_in_a_value_is_Tampered_naming_the_file_and_path_never_the_value()
    {
        var encrypted = Encrypt("secret.yaml", SopsSamples.Yaml);
        var start = encrypted.IndexOf("password: ENC[AES256_GCM,data:", StringComparison.Ordinal) + "password: ENC[AES256_GCM,data:".Length;
        var tampered = encrypted[..start] + (encrypted[start] == 'A' ? 'B' : 'A') + encrypted[(start + 1)..];
        var error = ExpectError(SopsFile.Decrypt("clusters/x/secret.yaml", tampered, [Identity]), SopsErrorKind.Tampered);
        Assert.Equal("clusters/x/secret.yaml", error.File);
        Assert.Contains("stringData:password:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_moved_to_another_key_fails_its_key_path_as_Tampered()
    {
        var encrypted = Encrypt("secret.json", """{"a": "one", "b": "two"}""");
        var json = JsonNode.Parse(encrypted)!;
        (json["a"], json["b"]) = (json["b"]!.GetValue<string>(), json["a"]!.GetValue<string>());
        ExpectError(SopsFile.Decrypt("secret.json", json.ToJsonString(), [Identity]), SopsErrorKind.Tampered);
    }

    [Fact]
    public void An_edited_plain_value_or_a_removed_value_fails_the_MAC()
    {
        var encrypted = Encrypt("secret.yaml", SopsSamples.Yaml);
        ExpectError(SopsFile.Decrypt("secret.yaml", encrypted.Replace("stays readable", "changed", StringComparison.Ordinal), [Identity]), SopsErrorKind.MacMismatch);
        var removed = string.Join('\n', encrypted.Split('\n').Where(l => !l.TrimStart().StartsWith("token:", StringComparison.Ordinal)));
        ExpectError(SopsFile.Decrypt("secret.yaml", removed, [Identity]), SopsErrorKind.MacMismatch);
    }

    [Theory]
    [InlineData("s.yaml")]
    [InlineData("s.env")]
    public void With_mac_only_encrypted_a_plain_value_may_change_but_an_encrypted_one_may_not_move(string name)
    {
        var rule = new SopsCreationRule([Identity.Recipient], new SopsRules(EncryptedRegex: "^PASS", MacOnlyEncrypted: true));
        var encrypted = Expect(SopsFile.Encrypt(name, name.EndsWith(".env", StringComparison.Ordinal) ? "PASSWORD=x1\nUSER=admin\n" : "PASSWORD: x1\nUSER: admin\n", rule));
        Assert.Contains("mac_only_encrypted", encrypted, StringComparison.Ordinal);
        var edited = Expect(SopsFile.Decrypt(name, encrypted.Replace("admin", "root", StringComparison.Ordinal), [Identity]));
        Assert.Contains("root", edited, StringComparison.Ordinal);
        var lines = encrypted.Split('\n').ToList();
        lines.RemoveAll(l => l.StartsWith("PASSWORD", StringComparison.Ordinal));
        ExpectError(SopsFile.Decrypt(name, string.Join('\n', lines), [Identity]), SopsErrorKind.MacMismatch);
    }

    [Fact]
    public void Another_identity_is_NoMatchingKey()
    {
        var encrypted = Encrypt("secret.env", SopsSamples.Dotenv);
        var error = ExpectError(SopsFile.Decrypt("secret.env", encrypted, [AgeIdentity.Generate()]), SopsErrorKind.NoMatchingKey);
        Assert.Contains(Identity.Recipient.Text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_one_of_several_recipients_decrypts()
    {
        var other = AgeIdentity.Generate();
        var encrypted = Expect(SopsFile.Encrypt("secret.json", SopsSamples.Json, new SopsCreationRule([Identity.Recipient, other.Recipient], new SopsRules())));
        Assert.Equal(Values("x.json", SopsSamples.Json), Values("x.json", Expect(SopsFile.Decrypt("secret.json", encrypted, [other]))));
    }

    [Fact]
    public void Encrypting_twice_binary_files_and_plain_files_to_decrypt_are_refused_with_their_kind()
    {
        ExpectError(SopsFile.Encrypt("secret.yaml", Encrypt("secret.yaml", SopsSamples.Yaml), Rule), SopsErrorKind.AlreadyEncrypted);
        ExpectError(SopsFile.Encrypt("secret.bin", "x", Rule), SopsErrorKind.Unsupported);
        ExpectError(SopsFile.Decrypt("secret.yaml", SopsSamples.Yaml, [Identity]), SopsErrorKind.Malformed);
        ExpectError(SopsFile.Decrypt("secret.yaml", "a: [", [Identity]), SopsErrorKind.Malformed);
    }

    [Fact]
    public void More_than_one_selector_is_refused()
    {
        var rule = new SopsCreationRule([Identity.Recipient], new SopsRules(EncryptedRegex: "^data$", UnencryptedSuffix: "_plain"));
        ExpectError(SopsFile.Encrypt("secret.yaml", SopsSamples.Yaml, rule), SopsErrorKind.Malformed);
    }

    [Theory]
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(1.5e-7, "0.00000015")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(3.0, "3")]
    public void Floats_are_written_as_Go_formats_them_for_the_MAC(double value, string expected) =>
        Assert.Equal(expected, Homelab.Secrets.Sops.SopsScalarText.Float(value));

    [Fact]
    public void A_multi_document_file_is_one_tree_with_its_metadata_in_each_document_and_one_MAC_over_all()
    {
        var encrypted = Encrypt("multi.yaml", "a: one\n---\nb: two\n");

        Assert.Equal(2, encrypted.Split("\nsops:\n").Length - 1);
        Assert.Equal("a: one\n---\nb: two\n", Decrypt("multi.yaml", encrypted));
        // The second document's value is covered by the MAC in the first one's block: dropping it is caught.
        var firstOnly = encrypted[..encrypted.IndexOf("\n---", StringComparison.Ordinal)] + "\n";
        ExpectError(SopsFile.Decrypt("multi.yaml", firstOnly, [Identity]), SopsErrorKind.MacMismatch);
        ExpectError(SopsFile.Decrypt("multi.yaml", "a: plain\n---\n" + Encrypt("b.yaml", "b: two\n"), [Identity]), SopsErrorKind.Unsupported);
    }

    [Fact]
    public void A_binary_file_decrypts_to_its_data_and_anything_else_in_it_is_Malformed()
    {
        var encrypted = Encrypt("token.json", "{\"data\": \"line one\\nline two\\n\"}");

        var decrypted = SopsFile.DecryptBinary("token", encrypted, [Identity]);

        Assert.Null(decrypted.Error);
        Assert.Equal("line one\nline two\n"u8.ToArray(), decrypted.Value);
        var other = SopsFile.DecryptBinary("token", Encrypt("other.json", "{\"data\": \"x\", \"more\": \"y\"}"), [Identity]);
        Assert.Equal(SopsErrorKind.Malformed, other.Error?.Kind);
        Assert.Equal("token", other.Error?.File);
    }

    private static string Encrypt(string name, string plaintext) => Expect(SopsFile.Encrypt(name, plaintext, Rule));

    private static string Decrypt(string name, string encrypted) => Expect(SopsFile.Decrypt(name, encrypted, [Identity]));

    private static string Expect(SopsResult<string> result)
    {
        Assert.Null(result.Error);
        return result.Value!;
    }

    private static SopsError ExpectError(SopsResult<string> result, SopsErrorKind kind)
    {
        Assert.Equal(kind, result.Error?.Kind);
        Assert.Null(result.Value);
        return result.Error!;
    }

    /// <summary>A file's values as JSON text, read by an independent parser per format (YamlDotNet for YAML, System.Text.Json, line split for dotenv).</summary>
    internal static string Values(string name, string text) => Path.GetExtension(name) switch
    {
        ".json" => JsonNode.Parse(text)!.ToJsonString(),
        ".env" => new JsonObject([.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => new KeyValuePair<string, JsonNode?>(l[..l.IndexOf('=', StringComparison.Ordinal)], l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]))]).ToJsonString(),
        _ => new Homelab.Kustomize.YamlToJson(name, Homelab.Kustomize.BuildLimits.Default).ReadDocuments(text).Single()!.ToJsonString(),
    };
}
