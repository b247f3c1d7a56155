namespace SpecSynth;

/// <summary>
/// A failure the user can act on. <see cref="Kind"/> decides the CLI exit code in one place
/// (<c>ExitCodes</c> in the CLI); the message says what went wrong and what to do next, and never
/// contains a secret.
/// </summary>
public class SpecSynthException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The class of failure (it decides the CLI's exit code).</param>
    /// <param name="message">What went wrong and what to do next; never a secret.</param>
    /// <param name="inner">The exception that caused it, or <c>null</c>.</param>
    public SpecSynthException(ErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    /// <summary>What class of failure this is.</summary>
    public ErrorKind Kind { get; }
}
