namespace SpecSynth.State;

/// <summary>
/// Group commit for a durable append (issue 19): callers hand their item over and wait; one writer, queued at the back of
/// the thread pool's global queue, commits everything handed over by the time it runs in ONE call of <c>commit</c> (one
/// transaction, one write) and then completes each caller's wait. With the pool idle the writer runs at once (a lone
/// request waits for its lone commit, as before); with requests in flight it runs after the work queued ahead of it, so
/// the items of requests that finish meanwhile share its commit instead of each paying for its own. An item handed over
/// while a commit runs waits for the next one. Nothing is moved off the caller's path: <see cref="WriteAsync"/> completes
/// only once the caller's item is committed; when the commit of its group fails, every wait of the group fails with
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
    private List<T> _spareItems = [];
    private List<TaskCompletionSource> _spareWaits = [];
    private bool _scheduled;

    /// <summary>Hands <paramref name="item"/> to the writer; the task completes once it is committed. There is no
    /// cancellation on purpose: the wait is the promise that the item is written before the caller goes on (a cancelled
    /// call still has its cost recorded), and it lasts one commit.</summary>
    /// <exception cref="Exception">(In the task) what the commit of the item's group threw.</exception>
    public Task WriteAsync(T item)
    {
        var wait = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
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

    /// <summary>Commits each of <paramref name="items"/> alone and completes its wait with the outcome.</summary>
    private void CommitEach(List<T> items, List<TaskCompletionSource> waits)
    {
        for (var i = 0; i < items.Count; i++)
        {
            try
            {
                commit([items[i]]);
                waits[i].SetResult();
            }
            catch (Exception ex)
            {
                waits[i].SetException(ex);
            }
        }
    }

    /// <summary>Commits what is waiting and completes its waits; queued again when more was handed over meanwhile.</summary>
    private void Run()
    {
        List<T> items;
        List<TaskCompletionSource> waits;
        lock (_gate)
        {
            // Only one writer runs at a time, so the spare lists are free until it puts them back.
            (items, _items) = (_items, _spareItems);
            (waits, _waits) = (_waits, _spareWaits);
        }
        try
        {
            commit(items);
            foreach (var wait in waits)
            {
                wait.SetResult();
            }
        }
        catch (Exception) when (retryAlone && items.Count > 1)
        {
            // Committed again one by one: each caller gets its lone commit's outcome (one bad item fails only its caller).
            CommitEach(items, waits);
        }
        catch (Exception ex)
        {
            foreach (var wait in waits)
            {
                wait.SetException(ex);
            }
        }
        items.Clear();
        waits.Clear();
        lock (_gate)
        {
            (_spareItems, _spareWaits) = (items, waits);
            if (_items.Count > 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(RunWriter, this, preferLocal: false);
            }
            else
            {
                _scheduled = false;
            }
        }
    }
}
