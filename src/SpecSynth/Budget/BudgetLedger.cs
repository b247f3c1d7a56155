using SpecSynth.State;

namespace SpecSynth.Budget;

/// <summary>
/// The budgets of one run: the run budget in memory, the day and month counters in <c>budget.db</c> (this machine) and,
/// with <c>[shared] redis</c>, in Redis (the team). A reservation is taken from every applicable counter (run, then Redis,
/// then local; the amount can only shrink on the way, and what was taken earlier is adjusted down); the local counters
/// always hold this machine's spending, so when Redis is lost (one warning) the run goes on with them: nothing is lost,
/// and a reservation Redis held before the loss is settled locally only. Both kinds of calendar counters are reached through
/// a process-local lease (<see cref="LeasedBudgetStore"/>), so most requests reserve and settle in memory. Thread-safe;
/// dispose at the end of the run (it gives the leases back).
/// </summary>
internal sealed class BudgetLedger : IDisposable
{
    private readonly MemoryBudgetStore _run = new();
    private readonly IBudgetStore _local;
    private readonly IBudgetStore? _team;
    private readonly TimeProvider _time;
    private readonly Action<string>? _onWarning;
    private int _degraded;

    private readonly ISharedBudgetStore? _shared;
    private readonly BudgetWindow? _runWindow;
    private readonly BudgetWindow[] _runWindows;
    private Tuple<DateTime, IReadOnlyList<BudgetWindow>>? _calendar;

    private BudgetLedger(BudgetOptions options, IBudgetStore local, ISharedBudgetStore? team, TimeProvider time, Action<string>? onWarning)
    {
        Options = options;
        _local = local;
        _team = team is null ? null : new LeasedBudgetStore(team, time);
        _time = time;
        _onWarning = onWarning;
        _shared = team;
        _runWindow = options.RunUsd is { } usd ? new BudgetWindow("run", "run", BudgetMoney.ToNanos(usd)) : null;
        _runWindows = _runWindow is null ? [] : [_runWindow];
    }

    /// <summary>The budgets.</summary>
    public BudgetOptions Options { get; }

    /// <summary>Whether the team counters were lost and only the local ones count for the rest of the run.</summary>
    public bool IsDegraded => Volatile.Read(ref _degraded) == 1;

    /// <summary>The ledger for <paramref name="options"/>, or <c>null</c> when no budget applies.</summary>
    /// <param name="options">The budgets.</param>
    /// <param name="redisUrl"><c>[shared] redis</c>, or <c>null</c>.</param>
    /// <param name="stateDir">The state folder (holds <c>budget.db</c>).</param>
    /// <param name="time">The clock deciding the UTC day and month.</param>
    /// <param name="onWarning">Hears the one warning when Redis is lost (or when Redis is configured but
    /// <paramref name="backend"/> is <c>null</c>).</param>
    /// <param name="backend">Opens the team counters (the <c>SpecSynth.Redis</c> package); <c>null</c> keeps them local.</param>
    public static BudgetLedger? Open(BudgetOptions options, string? redisUrl, string stateDir, TimeProvider time, Action<string>? onWarning,
        SharedStateBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsEnabled)
        {
            return null;
        }
        var calendar = options.DailyUsd is not null || options.MonthlyUsd is not null;
        // A run budget alone needs no file: it lives and dies with the run.
        IBudgetStore local = calendar
            ? new LeasedBudgetStore(SqliteBudgetStore.Open(Path.Combine(stateDir, SqliteBudgetStore.FileName), time), time)
            : new MemoryBudgetStore();
        ISharedBudgetStore? team = null;
        if (calendar && redisUrl is not null)
        {
            if (backend is null)
            {
                onWarning?.Invoke(SharedStateBackend.MissingWarning);
            }
            else
            {
                team = backend.OpenBudget(redisUrl);
            }
        }
        return new BudgetLedger(options, local, team, time, onWarning);
    }

    /// <summary>
    /// Reserves <paramref name="wanted"/> nano-USD in every budget, or less but at least <paramref name="minimum"/> when a budget
    /// has less left. Refused: <c>null</c> and the refusing budget's grant (its window and what it had left); nothing is held.
    /// </summary>
    /// <remarks>A <see cref="ValueTask{TResult}"/>: a reservation the stores grant at once (from a lease, or the run budget)
    /// costs no task.</remarks>
    public async ValueTask<(BudgetReservation? Reservation, BudgetGrant Grant)> ReserveAsync(long wanted, long minimum, CancellationToken cancellationToken)
    {
        var run = _runWindow;
        var calendar = Calendar();
        // The poorest budget's grant so far; none yet (a budget that grants all and has no window is never the poorer one).
        BudgetGrant? poorest = null;
        var amount = wanted;
        var runWindows = _runWindows;
        if (run is not null)
        {
            poorest = await _run.ReserveAsync(runWindows, amount, minimum, cancellationToken).ConfigureAwait(false);
            if (poorest.Refused)
            {
                return (null, poorest);
            }
            amount = poorest.Granted;
        }
        var inRedis = false;
        if (calendar.Count > 0 && _team is not null && !IsDegraded)
        {
            try
            {
                var team = await _team.ReserveAsync(calendar, amount, minimum, cancellationToken).ConfigureAwait(false);
                if (team.Refused)
                {
                    await _run.AdjustAsync(runWindows, -amount, CancellationToken.None).ConfigureAwait(false);
                    return (null, team);
                }
                poorest = Poorer(poorest, team);
                await _run.AdjustAsync(runWindows, team.Granted - amount, CancellationToken.None).ConfigureAwait(false);
                amount = team.Granted;
                inRedis = true;
            }
            catch (Exception ex) when (IsLost(ex))
            {
                Degrade(ex);
            }
            catch (OperationCanceledException)
            {
                await _run.AdjustAsync(runWindows, -amount, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        BudgetGrant local;
        try
        {
            local = await _local.ReserveAsync(calendar, amount, minimum, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _run.AdjustAsync(runWindows, -amount, CancellationToken.None).ConfigureAwait(false);
            await TeamAdjustAsync(inRedis, calendar, -amount).ConfigureAwait(false);
            throw;
        }
        if (local.Refused)
        {
            await _run.AdjustAsync(runWindows, -amount, CancellationToken.None).ConfigureAwait(false);
            await TeamAdjustAsync(inRedis, calendar, -amount).ConfigureAwait(false);
            return (null, local);
        }
        if (local.Granted < amount)
        {
            await _run.AdjustAsync(runWindows, local.Granted - amount, CancellationToken.None).ConfigureAwait(false);
            await TeamAdjustAsync(inRedis, calendar, local.Granted - amount).ConfigureAwait(false);
        }
        return (new BudgetReservation(local.Granted, run, calendar, inRedis), Poorer(poorest, local));
    }

    /// <summary>Replaces <paramref name="reservation"/> by the actual cost (0 releases it: a failed or cancelled call).</summary>
    public async Task SettleAsync(BudgetReservation reservation, long actualNanos)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var delta = actualNanos - reservation.Nanos;
        if (delta != 0 && reservation.Run is { } run)
        {
            await _run.AdjustAsync([run], delta, CancellationToken.None).ConfigureAwait(false);
        }
        // The calendar stores hear every settlement, also an exact one: their leases count what is still open.
        if (reservation.InRedis && _team is not null && !IsDegraded)
        {
            try
            {
                await _team.SettleAsync(reservation.Calendar, reservation.Nanos, actualNanos, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsLost(ex))
            {
                Degrade(ex);
            }
        }
        await _local.SettleAsync(reservation.Calendar, reservation.Nanos, actualNanos, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task TeamAdjustAsync(bool inRedis, IReadOnlyList<BudgetWindow> calendar, long delta)
    {
        if (!inRedis || _team is null || IsDegraded || delta == 0)
        {
            return;
        }
        try
        {
            await _team.AdjustAsync(calendar, delta, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsLost(ex))
        {
            Degrade(ex);
        }
    }

    /// <summary>The day and month windows of now, made once per UTC day.</summary>
    private IReadOnlyList<BudgetWindow> Calendar()
    {
        var now = _time.GetUtcNow();
        var day = now.UtcDateTime.Date;
        var cached = Volatile.Read(ref _calendar);
        if (cached is not null && cached.Item1 == day)
        {
            return cached.Item2;
        }
        var windows = BudgetWindow.Calendar(Options, now);
        Volatile.Write(ref _calendar, Tuple.Create(day, windows));
        return windows;
    }

    private static BudgetGrant Poorer(BudgetGrant? a, BudgetGrant b) => a is null || b.LeftNanos < a.LeftNanos ? b : a;

    private bool IsLost(Exception ex) => ex is TimeoutException or ObjectDisposedException || _shared?.IsLost(ex) == true;

    private void Degrade(Exception reason)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            _onWarning?.Invoke($"Redis at {_shared?.Display ?? "(shared)"} is unreachable ({reason.GetType().Name}): the daily and monthly " +
                "budgets are kept by this machine's counters alone for the rest of the run");
        }
    }

    public void Dispose()
    {
        _local.Dispose();
        _team?.Dispose();
    }
}
