namespace SpecSynth.Budget;

/// <summary>
/// A process-local lease on shared budget counters (<c>budget.db</c>, Redis), so that most requests reserve and settle in
/// memory instead of in a write transaction each. When a request finds too little in the lease, one transaction of
/// <see cref="IBudgetCounters.ReserveAsync"/> hands back what the lease still holds and takes the request's reservation
/// with a new lease of up to <see cref="Requests"/> times the request's worst case, but never more than 1/<see
/// cref="BudgetGrant.LeaseShare"/> of what the poorest window has left (<see cref="BudgetGrant.Decide"/>). Rules:
/// <list type="bullet">
/// <item>A lease counts as spent in the counters while it is held, so processes sharing them never spend beyond a limit
/// together.</item>
/// <item>When that share no longer pays for the request (near a limit), the request is decided exactly as without a lease
/// (what this process held counts as left), the lease is given up, and until a later top-up gets a lease again every
/// settlement goes to the counters: the per-request transactions of a store without leases.</item>
/// <item>Money freed by a settlement stays in the lease as long as the lease's money (what it holds unassigned and the
/// reservations taken from these windows and still open) stays within what it stood for right after its last top-up (the
/// lease granted then, and the reservations open then), so the counters never count more for this process than they did
/// then; beyond that it goes back to the counters. (Issue 19: capping the unassigned part alone at the lease sent most
/// settlements to the counters, one write transaction each, once as many requests were in flight as a lease holds worst
/// cases: after a top-up, the refunds of the reservations still open from the previous lease had no room.)</item>
/// <item>What the lease holds unassigned goes back when no request has reserved or settled for <see cref="IdleReturn"/>, when
/// the windows change (a new UTC day or month), and on <see cref="Dispose"/>.</item>
/// <item>A process that dies without returning it leaves its counters higher by at most the last lease and the reservations
/// open when it was taken (up to <see cref="Requests"/> worst-case requests more than it had in flight) besides its open
/// reservations: stricter, never looser.</item>
/// </list>
/// Thread-safe.
/// </summary>
internal sealed class LeasedBudgetStore : IBudgetStore
{
    /// <summary>A lease holds up to this many worst cases of the request that takes it.</summary>
    public const int Requests = 16;

    /// <summary>How long a lease may sit unused before what it holds goes back to the counters.</summary>
    public static readonly TimeSpan IdleReturn = TimeSpan.FromSeconds(2);

    private readonly IBudgetCounters _counters;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _topUp = new(1, 1);
    private readonly ITimer _idle;
    private IReadOnlyList<BudgetWindow> _windows = [];
    private long _available;

    /// <summary>Reserved from the current windows through this store and not settled yet, in nano-USD.</summary>
    private long _open;

    /// <summary>The most the lease's money (<see cref="_available"/> + <see cref="_open"/>) may be: what it was right after the
    /// last top-up that granted a lease; 0 when there is no lease (every settlement goes to the counters).</summary>
    private long _cap;
    private long _lastUse;
    private bool _idleArmed;
    private bool _disposed;
    private Task? _returning;

    /// <param name="counters">The shared counters; owned.</param>
    /// <param name="time">The clock of the idle return.</param>
    public LeasedBudgetStore(IBudgetCounters counters, TimeProvider time)
    {
        _counters = counters;
        _time = time;
        _idle = time.CreateTimer(_ => OnIdle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The shared counters behind the lease.</summary>
    public IBudgetCounters Counters => _counters;

    /// <summary>What the lease holds unassigned, in nano-USD.</summary>
    public long Available
    {
        get
        {
            lock (_gate)
            {
                return _available;
            }
        }
    }

    public ValueTask<BudgetGrant> ReserveAsync(IReadOnlyList<BudgetWindow> windows, long wanted, long minimum, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (windows.Count == 0)
        {
            return new ValueTask<BudgetGrant>(_counters.ReserveAsync(windows, wanted, minimum, 0, 0, cancellationToken));
        }
        lock (_gate)
        {
            if (TryTake(windows, wanted))
            {
                return new ValueTask<BudgetGrant>(new BudgetGrant(wanted, null, long.MaxValue));
            }
        }
        return new ValueTask<BudgetGrant>(TopUpAsync(windows, wanted, minimum, cancellationToken));
    }

    public Task AdjustAsync(IReadOnlyList<BudgetWindow> windows, long delta, CancellationToken cancellationToken)
    {
        if (delta == 0)
        {
            return Task.CompletedTask;
        }
        lock (_gate)
        {
            if (windows.Count > 0 && SameWindows(windows))
            {
                _open = Math.Max(0, _open + delta);
                delta = Keep(delta);
            }
        }
        return delta == 0 ? Task.CompletedTask : _counters.AdjustAsync(windows, delta, cancellationToken);
    }

    public Task SettleAsync(IReadOnlyList<BudgetWindow> windows, long reserved, long actual, CancellationToken cancellationToken)
    {
        var delta = actual - reserved;
        lock (_gate)
        {
            if (windows.Count > 0 && SameWindows(windows))
            {
                _open = Math.Max(0, _open - reserved);
                delta = Keep(delta);
            }
        }
        return delta == 0 ? Task.CompletedTask : _counters.AdjustAsync(windows, delta, cancellationToken);
    }

    /// <summary>Under <see cref="_gate"/>: what of <paramref name="delta"/> the lease takes, with <see cref="_open"/> already
    /// changed: money freed stays in the lease while the lease's money stays within <see cref="_cap"/>; a cost above the
    /// reservation is paid from what it holds. Returns the part left for the counters.</summary>
    private long Keep(long delta)
    {
        var kept = delta < 0 ? Math.Min(-delta, Math.Max(0, _cap - _available - _open)) : _available >= delta ? -delta : 0;
        _available += kept;
        if (kept != 0)
        {
            Touch();
        }
        return delta + kept;
    }

    private async Task<BudgetGrant> TopUpAsync(IReadOnlyList<BudgetWindow> windows, long wanted, long minimum, CancellationToken cancellationToken)
    {
        await _topUp.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IReadOnlyList<BudgetWindow>? stale = null;
            long staleHeld = 0;
            long held;
            lock (_gate)
            {
                // Another request's top-up may have refilled the lease meanwhile.
                if (TryTake(windows, wanted))
                {
                    return new BudgetGrant(wanted, null, long.MaxValue);
                }
                cancellationToken.ThrowIfCancellationRequested();
                if (!SameWindows(windows))
                {
                    // The old windows' open reservations are settled with their counters, not with this lease.
                    (stale, staleHeld, _available, _cap, _open, _windows) = (_windows, _available, 0, 0, 0, windows);
                }
                held = _available;
                _available = 0;
            }
            if (staleHeld > 0)
            {
                await _counters.AdjustAsync(stale!, -staleHeld, CancellationToken.None).ConfigureAwait(false);
            }
            // From here on what was held is the counters' business: if the call fails, it stays counted there (stricter).
            var grant = await _counters.ReserveAsync(windows, wanted, minimum, Requests * wanted, held, CancellationToken.None).ConfigureAwait(false);
            var taken = Math.Min(wanted, grant.Granted);
            lock (_gate)
            {
                _available += grant.Granted - taken;
                _open += taken;
                // The lease's money may stay what it is now (the lease granted, and the reservations open: their refunds
                // stay here); a request decided alone (near a limit) leases nothing.
                _cap = grant.Granted > wanted ? _available + _open : 0;
                if (grant.Granted > taken)
                {
                    Touch();
                }
            }
            return taken == grant.Granted ? grant : grant with { Granted = taken };
        }
        finally
        {
            _topUp.Release();
        }
    }

    private bool TryTake(IReadOnlyList<BudgetWindow> windows, long wanted)
    {
        if (_available < wanted || !SameWindows(windows))
        {
            return false;
        }
        _available -= wanted;
        _open += wanted;
        Touch();
        return true;
    }

    private bool SameWindows(IReadOnlyList<BudgetWindow> windows)
    {
        if (ReferenceEquals(windows, _windows))
        {
            return true;
        }
        if (windows.Count != _windows.Count)
        {
            return false;
        }
        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i] != _windows[i])
            {
                return false;
            }
        }
        return true;
    }

    // Under _gate.
    private void Touch()
    {
        _lastUse = _time.GetTimestamp();
        if (!_idleArmed && !_disposed)
        {
            _idleArmed = true;
            _idle.Change(IdleReturn, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnIdle()
    {
        IReadOnlyList<BudgetWindow> windows;
        long held;
        lock (_gate)
        {
            var quiet = _time.GetElapsedTime(_lastUse);
            if (quiet < IdleReturn && !_disposed)
            {
                _idle.Change(IdleReturn - quiet, Timeout.InfiniteTimeSpan);
                return;
            }
            _idleArmed = false;
            (windows, held, _available) = (_windows, _available, 0);
        }
        if (held > 0)
        {
            Volatile.Write(ref _returning, ReturnAsync(windows, held));
        }
    }

    private async Task ReturnAsync(IReadOnlyList<BudgetWindow> windows, long held)
    {
        try
        {
            await _counters.AdjustAsync(windows, -held, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The counters are gone or broken: what the lease held stays counted there, which only makes the budget stricter.
        }
    }

    /// <summary>Gives back what the lease holds, then closes the counters.</summary>
    public void Dispose()
    {
        IReadOnlyList<BudgetWindow> windows;
        long held;
        lock (_gate)
        {
            _disposed = true;
            (windows, held, _available, _cap, _open) = (_windows, _available, 0, 0, 0);
        }
        // Waits for a running idle callback, then for the return it started.
        _idle.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Volatile.Read(ref _returning)?.GetAwaiter().GetResult();
        if (held > 0)
        {
            ReturnAsync(windows, held).GetAwaiter().GetResult();
        }
        _counters.Dispose();
        _topUp.Dispose();
    }
}
