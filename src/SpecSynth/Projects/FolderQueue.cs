namespace SpecSynth.Projects;

/// <summary>
/// The folders still to list in a walk, shared by its listing threads: last in, first out (close to the depth-first order
/// the files are taken in), until none is left and none is being listed, or the folders listed hold <c>maxFiles</c> files.
/// Thread-safe.
/// </summary>
internal sealed class FolderQueue
{
    private readonly Stack<Folder> _pending = new();
    private readonly int _maxFiles;
    private int _listing;
    private long _files;
    private bool _stopped;

    /// <summary>A queue holding the subfolders of <paramref name="top"/> (already listed).</summary>
    public FolderQueue(Folder top, int maxFiles)
    {
        _maxFiles = maxFiles;
        _files = top.Files?.Count ?? 0;
        Push(top.Subfolders ?? []);
    }

    /// <summary>The next folder to list; <c>false</c> when the walk's listing is over. Waits while other threads may still
    /// add subfolders.</summary>
    public bool TryTake(out Folder folder)
    {
        lock (_pending)
        {
            while (true)
            {
                if (_stopped || _files >= _maxFiles || (_pending.Count == 0 && _listing == 0))
                {
                    folder = null!;
                    return false;
                }
                if (_pending.TryPop(out folder!))
                {
                    _listing++;
                    return true;
                }
                Monitor.Wait(_pending);
            }
        }
    }

    /// <summary>Records that <paramref name="folder"/> is listed and queues its subfolders.</summary>
    public void Done(Folder folder)
    {
        lock (_pending)
        {
            _listing--;
            _files += folder.Files?.Count ?? 0;
            Push(folder.Subfolders ?? []);
            Monitor.PulseAll(_pending);
        }
    }

    /// <summary>Ends the listing for every thread (one stopped early: cancelled or failed).</summary>
    public void Stop()
    {
        lock (_pending)
        {
            _stopped = true;
            Monitor.PulseAll(_pending);
        }
    }

    private void Push(List<Folder> subfolders)
    {
        for (var i = subfolders.Count - 1; i >= 0; i--)
        {
            _pending.Push(subfolders[i]);
        }
    }
}
