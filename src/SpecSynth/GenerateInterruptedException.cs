namespace SpecSynth;

/// <summary>A run of several specs was cancelled after some of them were written: those stay written (each its own
/// journal run). <see cref="Results"/> says which (in the order given, <c>null</c> for a spec not finished).</summary>
public sealed class GenerateInterruptedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="specs">The specs as given.</param>
    /// <param name="results">Each spec's result, or <c>null</c>.</param>
    /// <param name="cancellationToken">The token that cancelled the run.</param>
    public GenerateInterruptedException(IReadOnlyList<string> specs, IReadOnlyList<GenerateResult?> results, CancellationToken cancellationToken)
        : base("Interrupted after some specs were written.", cancellationToken)
    {
        Specs = specs;
        Results = results;
    }

    /// <summary>Creates the exception.</summary>
    public GenerateInterruptedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public GenerateInterruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public GenerateInterruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The specs as given.</summary>
    public IReadOnlyList<string> Specs { get; } = [];

    /// <summary>Each spec's result (written ones have a <see cref="GenerateResult.JournalRun"/>), or <c>null</c>.</summary>
    public IReadOnlyList<GenerateResult?> Results { get; } = [];
}
