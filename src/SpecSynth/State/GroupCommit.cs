namespace SpecSynth.State;

/// <summary>
/// Group commit for a durable append (issue 19): callers hand their item over and wait; one writer, queued at the back of
/// the thread pool's global queue, commits everything handed over by the time it runs in ONE call of <c>commit</c> (one
/// transaction, one write) and then completes each caller's wait. With the pool idle the writer runs at once (a lone
/// request waits for its lone commit, as before); with requests in flight it runs after the work queued ahead of it, so
/// the items of requests that finish meanwhile share its commit instead of each paying for its own. An item handed over
/// while a commit runs waits for the next one, whose writer is queued before the waits of the group are completed. The
/// waits are completed on the writer's thread, so the callers' continuations run there one after another (a hop through
/// the pool per caller cost more CPU than the grouping saved). <see cref="WriteAsync"/> completes only once the caller's
/// item is committed; when the commit of its group fails, every wait of the group fails with that exception (no item of it
/// is reported as written), or, with <c>retryAlone</c>, the group's items are committed again one at a time so each caller
/// gets exactly its lone commit's outcome (one bad item fails only its own caller).
/// <para>
/// Write-behind (<see cref="TryStage"/>): an item staged is committed without a wait, with everything else staged
/// meanwhile, <see cref="StageDelay"/> later (or with the next waited group, or by <see cref="Flush"/>); its failure goes to
/// the callback given with it. At most <see cref="MaxStaged"/> staged items wait; beyond, the caller hands its item over
/// with <see cref="WriteAsync"/> and waits as before (memory stays bounded, and a writer held up by another process's lock
/// slows its callers down instead of gathering items without end). Thread-safe.
/// </para>
/// </summary>
/// <typeparam name="T">The item appended.</typeparam>
/// <param name="commit">Commits every item of a group at once, or throws.</param>
/// <param name="retryAlone">Whether a failed group is committed again item by item: only for a commit that is all or
/// none (a transaction), never for one that may have written part of the group.</param>
/// <param name="time">The clock of <see cref="StageDelay"/>; <c>null</c>: nothing is staged (<see cref="TryStage"/> is
/// always <c>false</c>: every caller waits for its commit).</param>
internal sealed class GroupCommit<T>(Action<IReadOnlyList<T>> commit, bool retryAlone, TimeProvider? time = null)
{
    /// <summary>How long a staged item waits for others to share its commit: what a process killed meanwhile may lose.</summary>
    public static TimeSpan StageDelay { get; } = TimeSpan.FromMilliseconds(5);

    /// <summary>How many staged items may wait (<see cref="TryStage"/>).</summary>
    public const int MaxStaged = 1024;

    private static readonly Action<GroupCommit<T>> RunWriter = static group => group.Run();

    /// <summary>The commits' name for <see cref="BackgroundWork"/>: the item's type.</summary>
    private static readonly string WorkKind = "commit:" + typeof(T).Name;

    private readonly Lock _gate = new();

    /// <summary>Held while a group is taken and committed: <see cref="Flush"/> returns only after the group a writer holds
    /// is committed, and groups are committed in the order they were taken.</summary>
    private readonly Lock _commitGate = new();
    private List<T> _items = [];
    private List<Waiter> _waits = [];
    private List<T>? _spareItems;
    private List<Waiter>? _spareWaits;

    /// <summary>Items in <see cref="_items"/> whose caller waits (the others are staged).</summary>
    private int _waited;

    /// <summary>A writer is queued (or runs and will look again).</summary>
    private bool _scheduled;

    /// <summary>The stage timer is armed.</summary>
    private bool _armed;
    private ITimer? _timer;

    /// <summary>Hands <paramref name="item"/> to the writer; the task completes once it is committed. There is no
    /// cancellation on purpose: the wait is the promise that the item is written before the caller goes on (a cancelled
    /// call still has its cost recorded), and it lasts one commit.</summary>
    /// <exception cref="Exception">(In the task) what the commit of the item's group threw.</exception>
    public Task WriteAsync(T item)
    {
        var wait = new TaskCompletionSource();
        lock (_gate)
        {
            _items.Add(item);
            _waits.Add(new Waiter(wait, null));
            _waited++;
            if (!_scheduled)
            {
                _scheduled = true;
                ThreadPool.UnsafeQueueUserWorkItem(RunWriter, this, preferLocal: false);
            }
        }
        return wait.Task;
    }

    /// <summary>Stages <paramref name="item"/>: committed without a wait, <see cref="StageDelay"/> later at the latest unless
    /// a waited group or a <see cref="Flush"/> takes it first. Returns <c>false</c> (nothing staged) when
    /// <see cref="MaxStaged"/> items already wait or there is no clock: hand it over with <see cref="WriteAsync"/> instead.</summary>
    /// <param name="item">The item.</param>
    /// <param name="onFailure">Hears what the commit of the item threw (on the writer's thread; it must not throw).</param>
    public bool TryStage(T item, Action<Exception> onFailure)
    {
        if (time is null)
        {
            return false;
        }
        lock (_gate)
        {
            if (_items.Count - _waited >= MaxStaged)
            {
                return false;
            }
            _items.Add(item);
            _waits.Add(new Waiter(null, onFailure));
            if (!_scheduled)
            {
                Arm();
            }
        }
        return true;
    }

    /// <summary>Commits on this thread what is handed over or staged, after the group a writer may hold; returns once it is
    /// committed (failures go to the items' waits and callbacks, as the writer reports them).</summary>
    public void Flush()
    {
        var (items, waits, outcomes) = TakeAndCommit();
        Complete(items, waits, outcomes);
    }

    /// <summary>Under <see cref="_gate"/>: arms the stage timer unless it is.</summary>
    private void Arm()
    {
        if (_armed)
        {
            return;
        }
        _armed = true;
        _timer ??= time!.CreateTimer(static state => ((GroupCommit<T>)state!).Fire(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(StageDelay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The stage timer: queues a writer for what is staged, unless one is already on its way. Not committed on the
    /// timer's thread: the process's timers fire one after another on one thread, and a commit there (a checkpoint, another
    /// process's write lock) would hold up every other timer of the process (timeouts, other stores' delays).</summary>
    private void Fire()
    {
        lock (_gate)
        {
            _armed = false;
            if (_scheduled || _items.Count == 0)
            {
                return;
            }
            _scheduled = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(RunWriter, this, preferLocal: false);
    }

    /// <summary>Commits what is waiting, queues the next writer when a waited item was handed over meanwhile (arms the
    /// stage timer when only staged ones were), then completes the group's waits.</summary>
    private void Run()
    {
        var (items, waits, outcomes) = TakeAndCommit();
        lock (_gate)
        {
            // Before any wait is completed: a continuation that hands over (or waits for) another item gets its own writer.
            if (_waited > 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(RunWriter, this, preferLocal: false);
            }
            else
            {
                _scheduled = false;
                if (_items.Count > 0)
                {
                    Arm();
                }
            }
        }
        Complete(items, waits, outcomes);
    }

    /// <summary>Takes every item handed over or staged and commits them.</summary>
    private (List<T> Items, List<Waiter> Waits, Exception?[]? Outcomes) TakeAndCommit()
    {
        lock (_commitGate)
        {
            List<T> items;
            List<Waiter> waits;
            lock (_gate)
            {
                (items, _items, _spareItems) = (_items, _spareItems ?? [], null);
                (waits, _waits, _spareWaits) = (_waits, _spareWaits ?? [], null);
                _waited = 0;
            }
            if (items.Count == 0)
            {
                return (items, waits, null);
            }
            var started = BackgroundWork.Start();
            var outcomes = Commit(items);
            BackgroundWork.End(WorkKind, started);
            return (items, waits, outcomes);
        }
    }

    /// <summary>Completes the group's waits (the callers' continuations run here, one after another: no hop through the pool
    /// for each) and tells the staged items' callbacks of a failure, then keeps the lists for a later group.</summary>
    private void Complete(List<T> items, List<Waiter> waits, Exception?[]? outcomes)
    {
        for (var i = 0; i < waits.Count; i++)
        {
            var failure = outcomes?[i];
            if (waits[i].Wait is { } wait)
            {
                if (failure is null)
                {
                    wait.SetResult();
                }
                else
                {
                    wait.SetException(failure);
                }
            }
            else if (failure is not null)
            {
                waits[i].OnFailure!(failure);
            }
        }
        items.Clear();
        waits.Clear();
        lock (_gate)
        {
            _spareItems ??= items;
            _spareWaits ??= waits;
        }
    }

    /// <summary>Commits <paramref name="items"/>; returns <c>null</c> when all were committed, else each item's failure
    /// (<c>null</c>: committed).</summary>
    private Exception?[]? Commit(List<T> items)
    {
        try
        {
            commit(items);
            return null;
        }
        catch (Exception ex) when (!retryAlone || items.Count == 1)
        {
            return [.. Enumerable.Repeat(ex, items.Count)];
        }
        catch (Exception)
        {
            // Committed again one by one: each caller gets its lone commit's outcome (one bad item fails only its caller).
            var outcomes = new Exception?[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                try
                {
                    commit([items[i]]);
                }
                catch (Exception ex)
                {
                    outcomes[i] = ex;
                }
            }
            return outcomes;
        }
    }

    /// <summary>An item's caller: its wait, or (staged) who hears of its failure.</summary>
    private readonly record struct Waiter(TaskCompletionSource? Wait, Action<Exception>? OnFailure);
}
