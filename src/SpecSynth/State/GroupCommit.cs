namespace SpecSynth.State;

/// <summary>
/// Group commit for a durable append (issue 19): callers hand their item over and wait; one writer, queued at the back of
/// the thread pool's global queue, commits everything handed over by the time it runs in ONE call of <c>commit</c> (one
/// transaction, one write) and then completes each caller's wait. With the pool idle the writer runs at once (a lone
/// request waits for its lone commit, as before); with requests in flight it runs after the work queued ahead of it, so
/// the items of requests that finish meanwhile share its commit instead of each paying for its own. An item handed over
/// while a commit runs waits for the next one, whose writer is queued before the waits of the group are completed. The
/// waits are completed on the writer's thread, so the callers' continuations run there one after another (a hop through
/// the pool per caller cost more CPU than the grouping saved). Nothing is moved off the caller's path:
/// <see cref="WriteAsync"/> completes only once the caller's item is committed; when the commit of its group fails, every
/// wait of the group fails with
/// that exception (no item of it is reported as written), or, with <c>retryAlone</c>, the group's items are committed
/// again one at a time so each caller gets exactly its lone commit's outcome (one bad item fails only its own caller).
/// Thread-safe.
/// </summary>
/// <typeparam name="T">The item appended.</typeparam>
/// <param name="commit">Commits every item of a group at once, or throws.</param>
/// <param name="retryAlone">Whether a failed group is committed again item by item: only for a commit that is all or
/// none (a transaction), never for one that may have written part of the group.</param>
internal sealed class GroupCommit<T>(Action<IReadOnlyList<T>> commit, bool retryAlone)
{
    private static readonly Action<GroupCommit<T>> RunWriter = static group => group.Run();

    private readonly Lock _gate = new();
    private List<T> _items = [];
    private List<TaskCompletionSource> _waits = [];
    private List<T>? _spareItems;
    private List<TaskCompletionSource>? _spareWaits;
    private bool _scheduled;

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
            _waits.Add(wait);
            if (!_scheduled)
            {
                _scheduled = true;
                ThreadPool.UnsafeQueueUserWorkItem(RunWriter, this, preferLocal: false);
            }
        }
        return wait.Task;
    }

    /// <summary>Commits what is waiting, queues the next writer when more was handed over meanwhile, then completes the
    /// group's waits.</summary>
    private void Run()
    {
        List<T> items;
        List<TaskCompletionSource> waits;
        lock (_gate)
        {
            (items, _items, _spareItems) = (_items, _spareItems ?? [], null);
            (waits, _waits, _spareWaits) = (_waits, _spareWaits ?? [], null);
        }
        var outcomes = Commit(items);
        lock (_gate)
        {
            // Before any wait is completed: a continuation that hands over (or waits for) another item gets its own writer.
            if (_items.Count > 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(RunWriter, this, preferLocal: false);
            }
            else
            {
                _scheduled = false;
            }
        }
        // The callers' continuations run here, one after another (no hop through the pool for each).
        for (var i = 0; i < waits.Count; i++)
        {
            if (outcomes?[i] is { } failure)
            {
                waits[i].SetException(failure);
            }
            else
            {
                waits[i].SetResult();
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
}
