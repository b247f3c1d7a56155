namespace SpecSynth.Batching;

/// <summary>One spec's place in a batch run: its first model request goes into the batch (every later one, a continuation
/// or a retry, is a normal request), and the coordinator learns when the spec needs no request (a cached reply, an error
/// before the call). Thread-safe.</summary>
internal sealed class BatchTicket(BatchCoordinator coordinator, string spec)
{
    private int _claimed;
    private int _finished;
    private int _answered;
    private int _priced;

    /// <summary>The coordinator of the run.</summary>
    public BatchCoordinator Coordinator { get; } = coordinator;

    /// <summary>The spec's full path (or its name).</summary>
    public string Spec { get; } = spec;

    /// <summary>The spec's ticket in the run's repair batch (<c>--batch-repairs</c>), or <c>null</c>.</summary>
    public BatchTicket? Repair { get; init; }

    /// <summary>specsynth's id of the batch the spec's request went into, once known.</summary>
    public string? BatchId { get; set; }

    /// <summary>The request's <c>custom_id</c>, once known.</summary>
    public string? CustomId { get; set; }

    /// <summary>Whether the batch answered this spec's request (its reply is priced at batch prices).</summary>
    public bool Answered => Volatile.Read(ref _answered) == 1;

    /// <summary>Whether the next request would go into the batch (not taken, not finished).</summary>
    public bool Claimable => Volatile.Read(ref _claimed) == 0 && Volatile.Read(ref _finished) == 0;

    /// <summary>Takes the ticket for the current request; <c>false</c> once taken (later requests go out normally).</summary>
    public bool TryClaim() => Volatile.Read(ref _finished) == 0 && Interlocked.Exchange(ref _claimed, 1) == 0;

    /// <summary>The spec needs the batch no more (called after its generate call, and again at its end); the first call of a
    /// spec that sent nothing into the batch lets the coordinator stop waiting for it.</summary>
    public void Finish()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 0 && Interlocked.Exchange(ref _claimed, 1) == 0)
        {
            Coordinator.Arrived();
        }
    }

    /// <summary>Notes that a successful batch result was handed back for this spec.</summary>
    public void MarkAnswered() => Volatile.Write(ref _answered, 1);

    /// <summary><c>true</c> once, for the usage ledger's row of the batched reply.</summary>
    public bool TakeBatchPrice() => Answered && Interlocked.Exchange(ref _priced, 1) == 0;
}
