using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Homelab.Secrets.Sops;

/// <summary>
/// One value as sops stores it: <c>ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]</c>, AES-256-GCM under the data key with a
/// 32-byte IV and the value's key path as additional data. The BCL's AesGcm takes 12-byte nonces only, so GCM comes
/// from BouncyCastle (already here for X25519).
/// </summary>
internal static partial class SopsValueCipher
{
    private const int IvSize = 32;
    private const int TagSize = 16;

    public static string Encrypt(object value, byte[] dataKey, string additionalData)
    {
        var plaintext = SopsScalarText.ToBytes(value);
        var iv = RandomNumberGenerator.GetBytes(IvSize);
        var gcm = Cipher(forEncryption: true, dataKey, iv, additionalData);
        var output = new byte[gcm.GetOutputSize(plaintext.Length)];
        var written = gcm.ProcessBytes(plaintext, 0, plaintext.Length, output, 0);
        gcm.DoFinal(output, written);
        CryptographicOperations.ZeroMemory(plaintext);
        var data = output.AsSpan(0, output.Length - TagSize);
        var tag = output.AsSpan(output.Length - TagSize);
        return $"ENC[AES256_GCM,data:{Convert.ToBase64String(data)},iv:{Convert.ToBase64String(iv)},tag:{Convert.ToBase64String(tag)},type:{SopsScalarText.TypeName(value)}]";
    }

    /// <summary>The typed value of <paramref name="text"/>; a failing tag is <see cref="SopsErrorKind.Tampered"/>.</summary>
    public static object Decrypt(string text, byte[] dataKey, string additionalData)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            throw new SopsException(SopsErrorKind.Malformed, $"the value at '{additionalData}' is not in sops' ENC[AES256_GCM,…] form");
        }

        byte[] data, iv, tag;
        try
        {
            data = Convert.FromBase64String(match.Groups["data"].Value);
            iv = Convert.FromBase64String(match.Groups["iv"].Value);
            tag = Convert.FromBase64String(match.Groups["tag"].Value);
        }
        catch (FormatException)
        {
            throw new SopsException(SopsErrorKind.Malformed, $"the value at '{additionalData}' holds invalid base64");
        }

        if (iv.Length == 0 || tag.Length != TagSize)
        {
            throw new SopsException(SopsErrorKind.Malformed, $"the value at '{additionalData}' has an empty IV or a tag that is not 16 bytes");
        }

        var gcm = Cipher(forEncryption: false, dataKey, iv, additionalData);
        byte[] input = [.. data, .. tag];
        var plaintext = new byte[gcm.GetOutputSize(input.Length)];
        try
        {
            var written = gcm.ProcessBytes(input, 0, input.Length, plaintext, 0);
            gcm.DoFinal(plaintext, written);
        }
        catch (InvalidCipherTextException)
        {
            throw new SopsException(SopsErrorKind.Tampered, $"the value at '{additionalData}' fails authentication: it, its key path or the data key was changed");
        }

        return SopsScalarText.FromBytes(plaintext, match.Groups["type"].Value);
    }

    private static GcmBlockCipher Cipher(bool forEncryption, byte[] key, byte[] iv, string additionalData)
    {
        var gcm = new GcmBlockCipher(AesUtilities.CreateEngine());
        gcm.Init(forEncryption, new AeadParameters(new KeyParameter(key), TagSize * 8, iv, Encoding.UTF8.GetBytes(additionalData)));
        return gcm;
    }

    [GeneratedRegex(@"^ENC\[AES256_GCM,data:(?<data>.+),iv:(?<iv>.+),tag:(?<tag>.+),type:(?<type>.+)\]", RegexOptions.Singleline)]
    private static partial Regex Pattern();
}
