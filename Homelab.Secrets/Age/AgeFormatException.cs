namespace Homelab.Secrets.Age;

/// <summary>Carries an <see cref="AgeError"/> out of the parsers; never escapes the library's public methods.</summary>
internal sealed class AgeFormatException(AgeError error) : Exception(error.Message)
{
    public AgeError Error { get; } = error;

    public static AgeFormatException Malformed(string message) => new(new AgeError(AgeErrorKind.Malformed, message));

    public static AgeFormatException Unsupported(string message) => new(new AgeError(AgeErrorKind.Unsupported, message));
}
