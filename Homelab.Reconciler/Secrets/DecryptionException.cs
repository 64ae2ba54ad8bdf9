namespace Homelab.Reconciler.Secrets;

/// <summary>A revision's SOPS-encrypted object could not be decrypted; the message names the file and the error kind, never a value.</summary>
internal sealed class DecryptionException(string message) : Exception(message);
