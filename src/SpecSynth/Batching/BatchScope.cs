namespace SpecSynth.Batching;

/// <summary>The batch ticket of the code running now: set by a batched spec around its generate call, read by
/// <see cref="BatchingHandler"/> (which sends that call into the batch) and the usage ledger (which prices it at batch
/// prices). Flows with the async context, so concurrent specs each see their own.</summary>
internal static class BatchScope
{
    private static readonly AsyncLocal<BatchTicket?> Ticket = new();

    /// <summary>The ticket of the current flow, or <c>null</c> outside a batched generate call.</summary>
    public static BatchTicket? Current
    {
        get => Ticket.Value;
        set => Ticket.Value = value;
    }
}
