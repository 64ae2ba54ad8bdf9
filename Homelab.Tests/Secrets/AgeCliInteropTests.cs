using Homelab.Secrets.Age;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Secrets;

/// <summary>Our age against Debian's age 1.1 (the reference implementation), both ways, binary and armored, keys both ways.</summary>
public sealed class AgeCliInteropTests
{
    private readonly string folder = Directory.CreateTempSubdirectory("homelab-age-").FullName;

    [Theory]
    [InlineData(0, false)]
    [InlineData(100, true)]
    [InlineData(65536, false)]
    [InlineData(150_000, true)]
    public async Task What_we_encrypt_age_decrypts(int size, bool armor)
    {
        var (identityFile, recipientText) = await AgeCli.KeygenAsync(folder);
        Assert.True(AgeRecipient.TryParse(recipientText, out var recipient, out _));
        var plaintext = RandomBytes(size);
        var file = Path.Combine(folder, "ours.age");
        await File.WriteAllBytesAsync(file, AgeFile.Encrypt(plaintext, [recipient!], armor));
        Assert.Equal(plaintext, await AgeCli.DecryptAsync(identityFile, file));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(100, true)]
    [InlineData(65536, true)]
    [InlineData(150_000, false)]
    public async Task What_age_encrypts_we_decrypt(int size, bool armor)
    {
        var identity = AgeIdentity.Generate();
        var input = Path.Combine(folder, "plain.bin");
        var plaintext = RandomBytes(size);
        await File.WriteAllBytesAsync(input, plaintext);
        var file = await AgeCli.EncryptAsync(identity.Recipient.Text, input, armor);
        var result = AgeFile.Decrypt(await File.ReadAllBytesAsync(file), [identity]);
        Assert.Null(result.Error);
        Assert.Equal(plaintext, result.Plaintext);
    }

    [Fact]
    public async Task An_age_keygen_identity_file_reads_as_the_same_key()
    {
        var (identityFile, recipient) = await AgeCli.KeygenAsync(folder);
        Assert.True(AgeIdentity.TryParseAll(await File.ReadAllTextAsync(identityFile), out var identities, out _));
        Assert.Equal(recipient, Assert.Single(identities).Recipient.Text);
    }

    [Fact]
    public async Task Our_identity_is_read_by_age_keygen_and_opens_what_age_encrypts_to_it()
    {
        var identity = AgeIdentity.Generate();
        var identityFile = Path.Combine(folder, "ours.txt");
        await File.WriteAllTextAsync(identityFile, identity.SecretText() + "\n");
        Assert.Equal(identity.Recipient.Text, await AgeCli.RecipientOfAsync(identityFile));
        var input = Path.Combine(folder, "plain.txt");
        await File.WriteAllTextAsync(input, "hello");
        Assert.Equal("hello"u8.ToArray(), await AgeCli.DecryptAsync(identityFile, await AgeCli.EncryptAsync(identity.Recipient.Text, input, armor: true)));
    }

    private static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
