namespace Homelab.Secrets.Age;

/// <summary>Why an age file could not be decrypted.</summary>
public enum AgeErrorKind
{
    /// <summary>None of the given identities opens any of the file's recipient stanzas.</summary>
    NoMatchingKey,

    /// <summary>The header MAC or a payload chunk fails authentication: the file was changed.</summary>
    Tampered,

    /// <summary>Not an age v1 file, or one that breaks the format's rules.</summary>
    Malformed,

    /// <summary>Valid age, but a kind we do not support (passphrase/scrypt, SSH, plugins, another version).</summary>
    Unsupported,
}
