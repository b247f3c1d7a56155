using Microsoft.Extensions.AI;

namespace SpecSynth.Usage;

/// <summary>
/// Moves a recorded call's stream on the flow (<see cref="ExecutionContext"/>) of the call's first step, where its
/// <see cref="CallStats.Current"/> was set: each step of an async iterator runs on its caller's flow, so setting the stats
/// again before each step would copy that flow every update. Made in the first step, after the stats were set; falls
/// back to setting them before each step when the flow does not flow (suppressed). Not thread-safe (one stream, one
/// reader, as an enumerator).
/// </summary>
internal sealed class StepFlow
{
    private static readonly ContextCallback Step = static state =>
    {
        var flow = (StepFlow)state!;
        flow._next = flow._updates.MoveNextAsync();
    };

    private static readonly ContextCallback Dispose = static state =>
    {
        var flow = (StepFlow)state!;
        flow._disposed = flow._updates.DisposeAsync();
    };

    private readonly IAsyncEnumerator<ChatResponseUpdate> _updates;
    private readonly CallStats _stats;
    private readonly ExecutionContext? _context;
    private ValueTask<bool> _next;
    private ValueTask _disposed;

    /// <summary>Keeps the current flow, which must hold <paramref name="stats"/> as <see cref="CallStats.Current"/>.</summary>
    public StepFlow(IAsyncEnumerator<ChatResponseUpdate> updates, CallStats stats)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(stats);
        (_updates, _stats) = (updates, stats);
        _context = ReferenceEquals(CallStats.Current, stats) ? ExecutionContext.Capture() : null;
    }

    /// <summary>The stream's next step, on the kept flow.</summary>
    public ValueTask<bool> MoveNextAsync()
    {
        if (OnCallersFlow())
        {
            return _updates.MoveNextAsync();
        }
        ExecutionContext.Run(_context!, Step, this);
        var next = _next;
        _next = default;
        return next;
    }

    /// <summary>Disposes the stream, on the kept flow (its layers' last steps see the stats too).</summary>
    public ValueTask DisposeAsync()
    {
        if (OnCallersFlow())
        {
            return _updates.DisposeAsync();
        }
        ExecutionContext.Run(_context!, Dispose, this);
        var disposed = _disposed;
        _disposed = default;
        return disposed;
    }

    /// <summary>Whether the step runs on the caller's own flow: no flow kept (the stats set on the caller's flow, as
    /// before each step), or the caller's flow has the stats already (the first step, or a caller that set them).</summary>
    private bool OnCallersFlow()
    {
        if (_context is not null && !ReferenceEquals(CallStats.Current, _stats))
        {
            return false;
        }
        CallStats.Current = _stats;
        return true;
    }
}
