using Microsoft.Extensions.AI;

namespace SpecSynth.Usage;

/// <summary>
/// A recorded call's stats that also move the call's stream on the flow (<see cref="ExecutionContext"/>) of its first
/// step, where they were set as <see cref="CallStats.Current"/>: each step of an async iterator runs on its caller's flow,
/// so setting the stats again before each step would copy that flow every update. <see cref="Follow"/> is called in the
/// first step, after the stats were set; falls back to setting them before each step when the flow does not flow
/// (suppressed). One object per call (the usage middleware's call derives from it). Not thread-safe (one stream, one
/// reader, as an enumerator).
/// </summary>
internal abstract class StepFlow : CallStats
{
    private static readonly ContextCallback Step = static state =>
    {
        var flow = (StepFlow)state!;
        flow._next = flow._updates!.MoveNextAsync();
    };

    private static readonly ContextCallback Dispose = static state =>
    {
        var flow = (StepFlow)state!;
        flow._disposed = flow._updates!.DisposeAsync();
    };

    private IAsyncEnumerator<ChatResponseUpdate>? _updates;
    private ExecutionContext? _context;
    private ValueTask<bool> _next;
    private ValueTask _disposed;

    /// <summary>Follows <paramref name="updates"/> from now on; keeps the current flow when it holds this call as
    /// <see cref="CallStats.Current"/>.</summary>
    public void Follow(IAsyncEnumerator<ChatResponseUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        _updates = updates;
        _context = ReferenceEquals(Current, this) ? ExecutionContext.Capture() : null;
    }

    /// <summary>The stream's next step, on the kept flow.</summary>
    public ValueTask<bool> MoveNextAsync()
    {
        if (OnCallersFlow())
        {
            return _updates!.MoveNextAsync();
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
            return _updates!.DisposeAsync();
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
        if (_context is not null && !ReferenceEquals(Current, this))
        {
            return false;
        }
        Current = this;
        return true;
    }
}
