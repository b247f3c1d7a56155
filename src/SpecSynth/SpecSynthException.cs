namespace SpecSynth;

/// <summary>
/// A failure the user can act on. <see cref="Kind"/> decides the CLI exit code in one place
/// (<c>ExitCodes</c> in the CLI); the message says what went wrong and what to do next, and never
/// contains a secret.
/// </summary>
public class SpecSynthException : Exception
{
    public SpecSynthException(ErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    /// <summary>What class of failure this is.</summary>
    public ErrorKind Kind { get; }
}
