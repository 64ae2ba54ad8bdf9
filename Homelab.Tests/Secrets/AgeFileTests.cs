using System.Text;
using Homelab.Secrets.Age;

namespace Homelab.Tests.Secrets;

/// <summary>age files in memory: round trips at the chunk boundaries, and every refusal a typed error.</summary>
public sealed class AgeFileTests
{
    private static readonly AgeIdentity Identity = AgeIdentity.Generate();

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(65536, false)]
    [InlineData(65537, true)]
    [InlineData(200_000, false)]
    public void A_file_round_trips_at_chunk_boundaries(int size, bool armor)
    {
        var plaintext = new byte[size];
        Random.Shared.NextBytes(plaintext);
        var file = AgeFile.Encrypt(plaintext, [AgeIdentity.Generate().Recipient, Identity.Recipient], armor);
        Assert.Equal(armor, Encoding.ASCII.GetString(file).StartsWith("-----BEGIN AGE ENCRYPTED FILE-----\n", StringComparison.Ordinal));
        var result = AgeFile.Decrypt(file, [Identity]);
        Assert.Null(result.Error);
        Assert.Equal(plaintext, result.Plaintext);
    }

    [Fact]
    public void The_header_is_age_v1_with_one_X25519_stanza_per_recipient()
    {
        var file = Encoding.Latin1.GetString(AgeFile.Encrypt("x"u8, [Identity.Recipient, AgeIdentity.Generate().Recipient], armor: false));
        var lines = file.Split('\n');
        Assert.Equal("age-encryption.org/v1", lines[0]);
        Assert.Equal(2, lines.Count(l => l.StartsWith("-> X25519 ", StringComparison.Ordinal)));
        // A 32-byte body is 43 base64 characters: one short line.
        Assert.Equal(43, lines[2].Length);
        Assert.StartsWith("--- ", lines[5], StringComparison.Ordinal);
    }

    [Fact]
    public void A_flipped_payload_byte_is_Tampered()
    {
        var file = AgeFile.Encrypt("secret value"u8, [Identity.Recipient], armor: false);
        file[^5] ^= 1;
        var result = AgeFile.Decrypt(file, [Identity]);
        Assert.Equal(AgeErrorKind.Tampered, result.Error?.Kind);
        Assert.Null(result.Plaintext);
    }

    [Fact]
    public void A_changed_header_fails_its_MAC_as_Tampered()
    {
        var file = AgeFile.Encrypt("secret value"u8, [Identity.Recipient, AgeIdentity.Generate().Recipient], armor: false);
        var text = Encoding.Latin1.GetString(file);
        // Drop the other recipient's stanza: the file key still unwraps, the MAC no longer matches.
        var lines = text.Split('\n').ToList();
        lines.RemoveRange(3, 2);
        var result = AgeFile.Decrypt(Encoding.Latin1.GetBytes(string.Join('\n', lines)), [Identity]);
        Assert.Equal(AgeErrorKind.Tampered, result.Error?.Kind);
    }

    [Fact]
    public void Another_identity_is_NoMatchingKey()
    {
        var file = AgeFile.Encrypt("secret value"u8, [Identity.Recipient], armor: true);
        Assert.Equal(AgeErrorKind.NoMatchingKey, AgeFile.Decrypt(file, [AgeIdentity.Generate()]).Error?.Kind);
    }

    [Fact]
    public void A_passphrase_file_is_Unsupported_by_name()
    {
        // The scrypt stanza as age writes it (salt and work factor, a 32-byte body); the MAC is never reached.
        var header = "age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 18\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n";
        var result = AgeFile.Decrypt([.. Encoding.ASCII.GetBytes(header), .. new byte[32]], [Identity]);
        Assert.Equal(AgeErrorKind.Unsupported, result.Error?.Kind);
        Assert.Contains("scrypt", result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("age-encryption.org/v2\n")]
    [InlineData("not age at all")]
    [InlineData("age-encryption.org/v1\n-> X25519 !!!\nAAAA\n--- AAAA\n")]
    public void Other_versions_and_garbage_are_typed_errors(string file)
    {
        var result = AgeFile.Decrypt(Encoding.ASCII.GetBytes(file), [Identity]);
        Assert.Contains(result.Error?.Kind, new AgeErrorKind?[] { AgeErrorKind.Unsupported, AgeErrorKind.Malformed });
        Assert.Equal(file.StartsWith("age-encryption.org/v2", StringComparison.Ordinal) ? AgeErrorKind.Unsupported : AgeErrorKind.Malformed, result.Error!.Kind);
    }

    [Theory]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB+VHtZ6isGN", AgeErrorKind.Unsupported)]
    [InlineData("age1notakey", AgeErrorKind.Malformed)]
    public void SSH_and_malformed_recipients_are_refused_with_a_kind(string text, AgeErrorKind kind)
    {
        Assert.False(AgeRecipient.TryParse(text, out _, out var error));
        Assert.Equal(kind, error!.Kind);
    }

    [Fact]
    public void A_plugin_recipient_is_Unsupported()
    {
        var plugin = Bech32.Encode("age1yubikey", new byte[33]);
        Assert.False(AgeRecipient.TryParse(plugin, out _, out var error));
        Assert.Equal(AgeErrorKind.Unsupported, error!.Kind);
    }

    [Fact]
    public void A_bad_identity_line_is_reported_by_line_number_never_by_content()
    {
        var secretLooking = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
        Assert.False(AgeIdentity.TryParseAll($"# comment\n{Identity.SecretText()}\n{secretLooking}\n", out _, out var error));
        Assert.StartsWith("line 3:", error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secretLooking, error.Message, StringComparison.Ordinal);
    }
}
