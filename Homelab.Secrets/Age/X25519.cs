using BcX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace Homelab.Secrets.Age;

/// <summary>RFC 7748 X25519, the one primitive the BCL lacks: BouncyCastle's managed code (no native library per platform).</summary>
internal static class X25519
{
    public const int KeySize = 32;

    /// <summary>X25519(scalar, 9): the public key of <paramref name="scalar"/>.</summary>
    public static byte[] PublicKey(byte[] scalar)
    {
        var result = new byte[KeySize];
        BcX25519.ScalarMultBase(scalar, 0, result, 0);
        return result;
    }

    /// <summary>X25519(scalar, point); null when the result is all zeros (a low-order point: RFC 7748 section 6.1).</summary>
    public static byte[]? SharedSecret(byte[] scalar, byte[] point)
    {
        var result = new byte[KeySize];
        return BcX25519.CalculateAgreement(scalar, 0, point, 0, result, 0) ? result : null;
    }
}
