using System.Text;
using Homelab.Secrets.Age;
using Homelab.Secrets.Sops;

namespace Homelab.Tests.Secrets;

/// <summary>Whatever the bytes, decryption answers with a typed error, never an exception: every truncation and many flipped bytes of valid files.</summary>
public sealed class MalformedInputTests
{
    private static readonly AgeIdentity Identity = AgeIdentity.Generate();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_truncated_or_flipped_age_file_is_a_typed_error(bool armor)
    {
        var file = AgeFile.Encrypt("a secret of some length"u8, [Identity.Recipient], armor);
        // Armor may lose its final newline (trailing whitespace is allowed): every shorter cut must fail.
        for (var length = 0; length < file.Length - (armor ? 1 : 0); length++)
        {
            Assert.NotNull(AgeFile.Decrypt(file.AsSpan(0, length), [Identity]).Error);
        }

        var random = new Random(19);
        for (var i = 0; i < 500; i++)
        {
            var copy = (byte[])file.Clone();
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
            var result = AgeFile.Decrypt(copy, [Identity]);
            // A flip inside armor padding or a line break may still decode to the same bytes; anything else must fail.
            Assert.True(result.Error is not null || result.Plaintext!.AsSpan().SequenceEqual("a secret of some length"u8));
        }
    }

    [Theory]
    [InlineData("s.yaml", "a: 1\nb:\n  c: [x, \"y\"]\n")]
    [InlineData("s.json", """{"a": 1, "b": {"c": ["x", "y"]}}""")]
    [InlineData("s.env", "A=1\nB=two\n")]
    public void Every_truncated_SOPS_file_is_a_typed_error_naming_the_file(string name, string plaintext)
    {
        var encrypted = SopsFile.Encrypt(name, plaintext, new SopsCreationRule([Identity.Recipient], new SopsRules())).Value!;
        for (var length = 0; length < encrypted.Length; length += 7)
        {
            var result = SopsFile.Decrypt(name, encrypted[..length], [Identity]);
            if (result.Error is { } error)
            {
                Assert.Equal(name, error.File);
            }
        }
    }

    [Theory]
    [InlineData("s.yaml", "a: 1\na: 2\n")]
    [InlineData("s.yaml", "- a\n- b\n")]
    [InlineData("s.yaml", "a: 1\n---\n- b\n")]
    [InlineData("s.yaml", "? [a, b]\n: c\n")]
    [InlineData("s.json", "[1, 2]")]
    [InlineData("s.json", "{\"a\": ")]
    [InlineData("s.env", "NO_EQUALS_SIGN\n")]
    public void Plaintext_we_cannot_read_is_a_typed_error(string name, string plaintext)
    {
        var result = SopsFile.Encrypt(name, plaintext, new SopsCreationRule([Identity.Recipient], new SopsRules()));
        Assert.Contains(result.Error?.Kind, new SopsErrorKind?[] { SopsErrorKind.Malformed, SopsErrorKind.Unsupported });
    }

    [Fact]
    public void Garbage_in_the_sops_block_is_a_typed_error()
    {
        var encrypted = SopsFile.Encrypt("s.yaml", "a: b\n", new SopsCreationRule([Identity.Recipient], new SopsRules())).Value!;
        foreach (var (from, to) in new[] { ("lastmodified: ", "lastmodified: not-a-time-"), ("-----BEGIN AGE ENCRYPTED FILE-----", "-----BEGIN AGE ENCRYPTED FILE-----x"), ("mac: ENC[", "mac: ENX[") })
        {
            var result = SopsFile.Decrypt("s.yaml", encrypted.Replace(from, to, StringComparison.Ordinal), [Identity]);
            Assert.NotNull(result.Error);
        }

        Assert.Equal(SopsErrorKind.Unsupported, SopsFile.Decrypt("s.yaml", "a: b\nsops:\n  pgp:\n  - fp: X\n  lastmodified: x\n  mac: x\n", [Identity]).Error?.Kind);
        Assert.Equal(SopsErrorKind.Malformed, SopsFile.Decrypt("s.yaml", Encoding.UTF8.GetString([0xEF, 0xBB, 0xBF]) + "sops: 1\n", [Identity]).Error?.Kind);
    }
}
