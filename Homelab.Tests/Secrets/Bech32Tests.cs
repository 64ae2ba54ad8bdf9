using Homelab.Secrets.Age;

namespace Homelab.Tests.Secrets;

/// <summary>Bech32 against BIP 173's valid and invalid test strings, and age's key encodings.</summary>
public sealed class Bech32Tests
{
    [Theory]
    [InlineData("A12UEL5L")]
    [InlineData("a12uel5l")]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w")]
    [InlineData("?1ezyfcl")]
    public void BIP_173_valid_strings_decode(string text) => Assert.True(Bech32.TryDecode(text, out _, out _), text);

    [Theory]
    [InlineData("pzry9x0s0muk")] // no separator
    [InlineData("1pzry9x0s0muk")] // empty human-readable part
    [InlineData("x1b4n0q5v")] // invalid data character
    [InlineData("li1dgmt3")] // checksum too short
    [InlineData("A1G7SGD8")] // checksum over the upper-case part
    [InlineData("a12UEL5L")] // mixed case
    [InlineData("a12uel5m")] // one character changed
    public void BIP_173_invalid_strings_are_refused(string text) => Assert.False(Bech32.TryDecode(text, out _, out _), text);

    [Fact]
    public void A_round_trip_keeps_the_human_readable_part_and_the_bytes()
    {
        var data = Convert.FromHexString("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        var text = Bech32.Encode("age", data);
        Assert.StartsWith("age1", text, StringComparison.Ordinal);
        Assert.True(Bech32.TryDecode(text, out var hrp, out var decoded));
        Assert.Equal("age", hrp);
        Assert.Equal(data, decoded);
        Assert.True(Bech32.TryDecode(text.ToUpperInvariant(), out _, out var upper));
        Assert.Equal(data, upper);
    }

    [Fact]
    public void An_identity_is_upper_case_AGE_SECRET_KEY_and_its_recipient_is_the_X25519_public_key()
    {
        // RFC 7748's Alice: her public key is known, so the recipient's bytes are checked against it.
        var text = Bech32.Encode("age-secret-key-", Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")).ToUpperInvariant();
        Assert.True(AgeIdentity.TryParse(text, out var identity, out _));
        Assert.StartsWith("AGE-SECRET-KEY-1", identity!.SecretText(), StringComparison.Ordinal);
        Assert.Equal(text, identity.SecretText());
        Assert.Equal(Bech32.Encode("age", Convert.FromHexString("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")), identity.Recipient.Text);
        Assert.DoesNotContain("AGE-SECRET-KEY", identity.ToString(), StringComparison.Ordinal);
    }
}
