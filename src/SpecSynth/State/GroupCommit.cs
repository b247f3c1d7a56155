using System.Runtime.ExceptionServices;

namespace SpecSynth.State;

/// <summary>
/// Group commit for a durable append (issue 19): callers that write while another caller's write is in progress are
/// queued, and the next writer commits everything queued in one transaction. <see cref="Write"/> still returns only after
/// the caller's own item is committed (and throws when it was not), so nothing is moved off the caller's path: under
/// concurrency the transactions (their locks, their pages in the write-ahead log) are shared instead of repeated.
/// A lone item is written by <c>writeOne</c>, exactly as without grouping. A failed batch is written again item by item,
/// so each caller gets what its lone write would have given (its row committed, or its own exception). Thread-safe.
/// </summary>
/// <typeparam name="T">The item appended.</typeparam>
/// <param name="writeOne">Commits one item in its own transaction, or throws.</param>
/// <param name="writeMany">Commits two or more items in one transaction (all or none), or throws.</param>
internal sealed class GroupCommit<T>(Action<T> writeOne, Action<IReadOnlyList<T>> writeMany)
{
    private readonly Lock _queueGate = new();
    private readonly Lock _writerGate = new();
    private List<Pending> _queue = [];
    private List<Pending> _spare = [];

    /// <summary>Commits <paramref name="item"/>, with whatever other callers queued meanwhile; returns once it is committed.</summary>
    /// <exception cref="Exception">What writing the item alone threw.</exception>
    public void Write(T item)
    {
        var mine = new Pending(item);
        lock (_queueGate)
        {
            _queue.Add(mine);
        }
        lock (_writerGate)
        {
            // A writer that held the gate before us may have committed our item with its own.
            if (!mine.Done)
            {
                List<Pending> batch;
                lock (_queueGate)
                {
                    batch = _queue;
                    _queue = _spare;
                }
                try
                {
                    Commit(batch);
                }
                finally
                {
                    batch.Clear();
                    _spare = batch;
                }
            }
        }
        mine.Error?.Throw();
    }

    /// <summary>Commits <paramref name="batch"/> (which holds the caller's own item) and marks each item done. Runs under
    /// the writer gate.</summary>
    private void Commit(List<Pending> batch)
    {
        if (batch.Count > 1)
        {
            var items = new T[batch.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = batch[i].Item;
            }
            try
            {
                writeMany(items);
                foreach (var pending in batch)
                {
                    pending.Done = true;
                }
                return;
            }
            catch (Exception)
            {
                // Written again one by one below: each caller then gets exactly its lone write's outcome.
            }
        }
        foreach (var pending in batch)
        {
            try
            {
                writeOne(pending.Item);
            }
            catch (Exception ex)
            {
                pending.Error = ExceptionDispatchInfo.Capture(ex);
            }
            pending.Done = true;
        }
    }

    /// <summary>One caller's item and its outcome (read and written under the writer gate only).</summary>
    private sealed class Pending(T item)
    {
        public T Item { get; } = item;

        public bool Done { get; set; }

        public ExceptionDispatchInfo? Error { get; set; }
    }
}
