namespace Homelab.Secrets.Sops;

/// <summary>Why a SOPS file could not be encrypted or decrypted.</summary>
public enum SopsErrorKind
{
    /// <summary>None of the age identities opens the data key of any of the file's age recipients.</summary>
    NoMatchingKey,

    /// <summary>A value's AES-GCM tag does not verify (the value, its key path or the data key changed).</summary>
    Tampered,

    /// <summary>Every value decrypts, but the MAC over them does not match: a value was added, removed, moved or edited.</summary>
    MacMismatch,

    /// <summary>Not a well-formed SOPS file (or plaintext file) of its format.</summary>
    Malformed,

    /// <summary>Valid SOPS, but something we do not support (non-age keys only, key groups, comment regexes, binary files).</summary>
    Unsupported,

    /// <summary>Encrypting a file that already has SOPS metadata.</summary>
    AlreadyEncrypted,

    /// <summary>No <c>.sops.yaml</c> creation rule applies to the file, or the rule is unusable.</summary>
    NoCreationRule,
}
