using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Microsoft.Extensions.AI;

namespace SpecSynth.Middleware;

/// <summary>
/// The time limits of one attempt (<see cref="AttemptTimeoutChatClient"/>): one cancellation source (itself) with one
/// timer on the pipeline's clock (made at the attempt's first pending read), once per attempt. Its token goes to the provider's call, and is cancelled when a
/// wait runs over its limit or the caller cancels (it hears the caller's token only when that one can cancel).
/// <see cref="WaitAsync(ValueTask{bool}, IAsyncEnumerator{ChatResponseUpdate}, TimeSpan, bool)"/> re-arms the timer (no
/// allocation) and waits, without a task, delay or second timer, for whichever comes first: the read, or the source's
/// cancellation. A read that lost is not waited for (some SDKs do not observe cancellation while reading a body): it is
/// observed when it ends, and its stream disposed then. One wait at a time (one attempt, one reader).
/// </summary>
internal sealed class AttemptWatch : CancellationTokenSource, IValueTaskSource<bool>
{
    // The state of a wait (0 before the first).
    private const int Waiting = 1;
    private const int ReadFirst = 2;
    private const int CancelledFirst = 3;

    private readonly TimeProvider _time;
    private readonly CancellationTokenRegistration _caller;
    private ITimer? _timer;
    private readonly Action _read;
    private ManualResetValueTaskSourceCore<bool> _core;
    private ConfiguredValueTaskAwaitable<bool>.ConfiguredValueTaskAwaiter _move;
    private Task? _call;
    private IAsyncEnumerator<ChatResponseUpdate>? _updates;
    private int _state;

    /// <summary>An attempt's watch, its timer not armed.</summary>
    /// <param name="caller">The caller's token: its cancellation cancels this one too.</param>
    /// <param name="time">The clock of the timer.</param>
    public AttemptWatch(CancellationToken caller, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _read = Read;
        _time = time;
        // The timer (made at the first wait: an attempt whose reads are all there at once needs none) and the caller cancel
        // this source and end a pending wait (Expire): no callback of its own on its token, no second source.
        if (caller.CanBeCanceled)
        {
            _caller = caller.UnsafeRegister(static watch => ((AttemptWatch)watch!).Expire(), this);
        }
    }

    /// <summary>Whether the last armed limit was the idle one (else the attempt's).</summary>
    public bool IdleLimit { get; private set; }

    /// <summary>Whether the attempt was cut by its timer (the token cancelled, the caller's not).</summary>
    public bool TimedOut(CancellationToken caller) => IsCancellationRequested && !caller.IsCancellationRequested;

    /// <summary>Waits up to <paramref name="limit"/> for a pending read of <paramref name="updates"/>: <c>true</c> when it
    /// ended in time (its outcome from <see cref="Result"/>), <c>false</c> when the limit ran out or the caller cancelled
    /// first (the read is then abandoned: <paramref name="updates"/> is disposed once it ends).</summary>
    public ValueTask<bool> WaitAsync(ValueTask<bool> move, IAsyncEnumerator<ChatResponseUpdate> updates, TimeSpan limit, bool idle)
    {
        _updates = updates;
        _move = move.ConfigureAwait(false).GetAwaiter();
        return Wait(limit, idle, static watch => watch._move.UnsafeOnCompleted(watch._read));
    }

    /// <summary>Waits up to <paramref name="limit"/> for a pending <paramref name="call"/>, as the stream's wait does (an
    /// abandoned call's outcome is observed when it ends).</summary>
    public ValueTask<bool> WaitAsync(Task call, TimeSpan limit, bool idle)
    {
        _call = call;
        return Wait(limit, idle, static watch => watch._call!.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(watch._read));
    }

    /// <summary>The outcome of a read that ended in time (<see cref="WaitAsync(ValueTask{bool}, IAsyncEnumerator{ChatResponseUpdate}, TimeSpan, bool)"/>
    /// gave <c>true</c>); the timer is disarmed first.</summary>
    public bool Result()
    {
        Disarm();
        return _move.GetResult();
    }

    /// <summary>Disarms the timer after a wait ended in time.</summary>
    public void Disarm() => _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The timer and the caller's callback first, so neither cancels a disposed source (a running callback of the
            // caller's is waited for; a timer callback that races this is caught in Expire).
            _timer?.Dispose();
            _caller.Dispose();
        }
        base.Dispose(disposing);
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private ValueTask<bool> Wait(TimeSpan limit, bool idle, Action<AttemptWatch> hook)
    {
        _core.Reset();
        IdleLimit = idle;
        Volatile.Write(ref _state, Waiting);
        var due = limit > TimeSpan.Zero ? limit : TimeSpan.Zero;
        if (_timer is null)
        {
            _timer = _time.CreateTimer(static watch => ((AttemptWatch)watch!).Expire(), this, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
        hook(this);
        if (IsCancellationRequested)
        {
            // Cancelled before this wait began (its callback ran then, and runs once): the wait is over.
            Cancelled();
        }
        return new ValueTask<bool>(this, _core.Version);
    }

    /// <summary>The read ended: the wait's answer when it came first; else the abandoned read is observed and its stream
    /// disposed.</summary>
    private void Read()
    {
        if (Interlocked.CompareExchange(ref _state, ReadFirst, Waiting) == Waiting)
        {
            _core.SetResult(true);
            return;
        }
        if (_call is { } call)
        {
            _ = call.Exception; // observed: the call was abandoned on purpose
            return;
        }
        try
        {
            _move.GetResult();
        }
        catch (Exception)
        {
            // The read was abandoned on purpose; whatever it threw while being cut is not news.
        }
        _ = DisposeQuietlyAsync(_updates!);
    }

    /// <summary>The timer went off or the caller cancelled: the token is cancelled (the provider's call is cut), then a
    /// pending wait ends unless its read ended first (cut or not). In this order a wait that begins meanwhile sees the token
    /// cancelled, or is ended here.</summary>
    private void Expire()
    {
        try
        {
            Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended meanwhile (a timer callback that raced its disposal): nothing left to cut or end.
            return;
        }
        Cancelled();
    }

    /// <summary>A wait pending when the token is cancelled ends (<c>false</c>), unless its read ended first.</summary>
    private void Cancelled()
    {
        if (Interlocked.CompareExchange(ref _state, CancelledFirst, Waiting) == Waiting)
        {
            _core.SetResult(false);
        }
    }

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<ChatResponseUpdate> updates)
    {
        try
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Same: nothing left to report to anyone.
        }
    }
}
