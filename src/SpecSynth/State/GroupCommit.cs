namespace SpecSynth.State;

/// <summary>
/// Group commit for a durable append (issue 19): callers hand their item over and wait; one writer, queued at the back of
/// the thread pool's global queue, commits everything handed over by the time it runs in ONE call of <c>commit</c> (one
/// transaction, one write) and then completes each caller's wait. With requests in flight the writer runs after the work
/// queued ahead of it, so the items of requests that finish meanwhile share its commit instead of each paying for its own.
/// When nothing waits for the pool and no commit runs (a lone request), no other item could join the group: the caller
/// commits its own item at once, on its own thread, and gets a completed task (no hop through the pool to a worker that
/// must be woken, no wait allocated). An item handed over while a commit runs waits for the next one, whose writer is
/// queued before the waits of the group are completed. The waits are completed on the writer's thread, so the callers'
/// continuations run there one after another (a hop through the pool per caller cost more CPU than the grouping saved).
/// Nothing is moved off the caller's path: <see cref="WriteAsync"/> completes only once the caller's item is committed;
/// when the commit of its group fails, every wait of the group fails with that exception (no item of it is reported as
/// written), or, with <c>retryAlone</c>, the group's items are committed again one at a time so each caller gets exactly
/// its lone commit's outcome (one bad item fails only its own caller). Thread-safe.
/// </summary>
/// <typeparam name="T">The item appended.</typeparam>
/// <param name="commit">Commits every item of a group at once, or throws.</param>
/// <param name="retryAlone">Whether a failed group is committed again item by item: only for a commit that is all or
/// none (a transaction), never for one that may have written part of the group.</param>
/// <param name="poolBusy">Whether work waits for the thread pool (requests in flight whose items could share a commit);
/// <c>null</c>: <see cref="ThreadPool.PendingWorkItemCount"/> is not 0. Tests pass their own.</param>
internal sealed class GroupCommit<T>(Action<IReadOnlyList<T>> commit, bool retryAlone, Func<bool>? poolBusy = null)
{
    private static readonly Action<GroupCommit<T>> RunWriter = static group => group.Run();

    private readonly Lock _gate = new();
    private List<T> _items = [];
    private List<TaskCompletionSource> _waits = [];
    private List<T>? _spareItems;
    private List<TaskCompletionSource>? _spareWaits;
    // A commit runs or a writer is queued: an item handed over now waits for the writer.
    private bool _busy;

    /// <summary>Commits <paramref name="item"/> on the caller's thread when no commit runs and nothing waits for the pool
    /// (the task is then complete), else hands it to the writer; the task completes once it is committed. There is no
    /// cancellation on purpose: the wait is the promise that the item is written before the caller goes on (a cancelled
    /// call still has its cost recorded), and it lasts one commit.</summary>
    /// <exception cref="Exception">(In the task) what the commit of the item's group threw.</exception>
    public Task WriteAsync(T item)
    {
        var shared = poolBusy is null ? ThreadPool.PendingWorkItemCount > 0 : poolBusy();
        lock (_gate)
        {
            if (_busy || shared)
            {
                var wait = new TaskCompletionSource();
                _items.Add(item);
                _waits.Add(wait);
                if (!_busy)
                {
                    _busy = true;
                    ThreadPool.UnsafeQueueUserWorkItem(RunWriter, this, preferLocal: false);
                }
                return wait.Task;
            }
            _busy = true;
        }
        var failure = Commit([item])?[0];
        Done();
        return failure is null ? Task.CompletedTask : Task.FromException(failure);
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
        // Before any wait is completed: a continuation that hands over (or waits for) another item gets its own writer.
        Done();
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

    /// <summary>A commit ended: the writer is queued when items were handed over meanwhile, else the next item is committed
    /// by its caller.</summary>
    private void Done()
    {
        lock (_gate)
        {
            if (_items.Count > 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(RunWriter, this, preferLocal: false);
            }
            else
            {
                _busy = false;
            }
        }
    }

    /// <summary>Commits <paramref name="items"/>; returns <c>null</c> when all were committed, else each item's failure
    /// (<c>null</c>: committed).</summary>
    private Exception?[]? Commit(IReadOnlyList<T> items)
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
