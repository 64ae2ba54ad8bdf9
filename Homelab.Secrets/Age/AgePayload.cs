using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Homelab.Secrets.Age;

/// <summary>
/// The payload: a 16-byte nonce, then STREAM: ChaCha20-Poly1305 over 64 KiB chunks keyed by HKDF(file key, nonce,
/// "payload"), each chunk's nonce an 11-byte big-endian counter and a last-chunk flag. Only an empty file ends in an empty chunk.
/// </summary>
internal static class AgePayload
{
    private const int ChunkSize = 64 * 1024;
    private const int TagSize = 16;
    private const int NonceSize = 16;

    public static byte[] Encrypt(byte[] fileKey, ReadOnlySpan<byte> plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var chunks = Math.Max(1, (plaintext.Length + ChunkSize - 1) / ChunkSize);
        var output = new byte[NonceSize + plaintext.Length + (chunks * TagSize)];
        nonce.CopyTo(output, 0);
        using var aead = new ChaCha20Poly1305(PayloadKey(fileKey, nonce));
        var written = NonceSize;
        for (var i = 0; i < chunks; i++)
        {
            var chunk = plaintext.Slice(i * ChunkSize, Math.Min(ChunkSize, plaintext.Length - (i * ChunkSize)));
            aead.Encrypt(ChunkNonce(i, last: i == chunks - 1), chunk, output.AsSpan(written, chunk.Length), output.AsSpan(written + chunk.Length, TagSize));
            written += chunk.Length + TagSize;
        }

        return output;
    }

    public static byte[] Decrypt(byte[] fileKey, ReadOnlySpan<byte> payload)
    {
        if (payload.Length < NonceSize + TagSize)
        {
            throw AgeFormatException.Malformed("the payload is too short");
        }

        using var aead = new ChaCha20Poly1305(PayloadKey(fileKey, payload[..NonceSize].ToArray()));
        var body = payload[NonceSize..];
        var tail = body.Length % (ChunkSize + TagSize);
        if (tail is > 0 and < TagSize)
        {
            throw AgeFormatException.Malformed("the payload ends in a truncated chunk");
        }

        var plaintext = new byte[body.Length - (((body.Length + ChunkSize + TagSize - 1) / (ChunkSize + TagSize)) * TagSize)];
        var written = 0;
        for (var i = 0; body.Length > 0; i++)
        {
            var size = Math.Min(body.Length, ChunkSize + TagSize);
            var last = size == body.Length;
            if (size < TagSize || (last && size == TagSize && i > 0))
            {
                throw AgeFormatException.Malformed("the payload ends in an empty or truncated chunk");
            }

            try
            {
                aead.Decrypt(ChunkNonce(i, last), body[..(size - TagSize)], body.Slice(size - TagSize, TagSize), plaintext.AsSpan(written, size - TagSize));
            }
            catch (CryptographicException)
            {
                CryptographicOperations.ZeroMemory(plaintext);
                throw new AgeFormatException(new AgeError(AgeErrorKind.Tampered, $"payload chunk {i} fails authentication: the file was changed or truncated"));
            }

            written += size - TagSize;
            body = body[size..];
        }

        return plaintext;
    }

    private static byte[] PayloadKey(byte[] fileKey, byte[] nonce) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, 32, nonce, "payload"u8.ToArray());

    private static byte[] ChunkNonce(long counter, bool last)
    {
        var nonce = new byte[12];
        BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(3, 8), counter);
        nonce[11] = last ? (byte)1 : (byte)0;
        return nonce;
    }
}
