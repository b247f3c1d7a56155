namespace SpecSynth;

/// <summary>A <c>generate --batch</c> run was cancelled while its batches were running: they keep running at the provider,
/// and <c>specsynth batch resume ID</c> (or a resume through <see cref="GenerateAllRequest.ResumeBatch"/>) collects them.</summary>
public sealed class BatchInterruptedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="batchIds">specsynth's ids of the running batches.</param>
    /// <param name="cancellationToken">The token that cancelled the run.</param>
    public BatchInterruptedException(IReadOnlyList<string> batchIds, CancellationToken cancellationToken)
        : base($"Interrupted; the batch keeps running at the provider: specsynth batch resume {string.Join(" ", batchIds ?? [])}".TrimEnd(), cancellationToken)
    {
        BatchIds = batchIds ?? [];
    }

    /// <summary>Creates the exception.</summary>
    public BatchInterruptedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public BatchInterruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public BatchInterruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>specsynth's ids of the batches left running.</summary>
    public IReadOnlyList<string> BatchIds { get; } = [];
}
