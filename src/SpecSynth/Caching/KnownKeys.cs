using SpecSynth.State;

namespace SpecSynth.Caching;

/// <summary>
/// Answers a cache miss without a read of the file (issue 19): the hashes (<see cref="EntryHash"/>) of every key the file may hold (read once, then
/// each key this cache writes, added before its commit), trusted only while the file's wal-index header
/// (<see cref="WalIndexHeader"/>) is the one this cache's own last commit left, i.e. while no other connection, of this
/// process or another, has committed since. A key whose hash is not in the set is then surely not in the file. The moment
/// anyone else commits, the header differs and every read goes to the file again; when the writer finds, inside its own
/// write transaction, that someone else committed since its last commit, the set is no longer trusted for the rest of the
/// cache's life (another process writing the same file: reads go to the file, as before). A hash that collides, or a key
/// removed since, only sends a read to the file. Thread-safe; the writer calls <see cref="Loaded"/>, <see cref="Adding"/>,
/// <see cref="Begin"/> and <see cref="Committed"/> under its own lock, inside and after its transactions.
/// </summary>
internal sealed class KnownKeys(WalIndexHeader header) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _hashes = [];

    /// <summary>The header after this cache's last commit (or after the keys were read), under <see cref="_gate"/>.</summary>
    private WalIndexHeader.Snapshot _mine;

    /// <summary>The header at the start of the writer's transaction under way (<see cref="Begin"/>).</summary>
    private WalIndexHeader.Snapshot? _begun;

    private volatile bool _trusted;
    private bool _abandoned;

    /// <summary>Whether misses are answered from the set (the keys were read and nobody else has committed since).</summary>
    public bool Trusted => _trusted;

    /// <summary>True when the key of <paramref name="hash"/> (<see cref="EntryHash"/>) is surely not in the file now: the
    /// set is trusted, the hash is not in it, and nobody has committed since this cache's last commit. <c>false</c> means:
    /// read the file.</summary>
    public bool SurelyAbsent(long hash)
    {
        if (!_trusted)
        {
            return false;
        }
        WalIndexHeader.Snapshot mine;
        lock (_gate)
        {
            if (_hashes.Contains(hash))
            {
                return false;
            }
            mine = _mine;
        }
        return header.TryRead(out var now) && now == mine;
    }

    /// <summary>Starts trusting the set with the keys of the whole file, read by the writer inside a write transaction
    /// (so that nobody commits meanwhile): <paramref name="hashes"/> are their <see cref="EntryHash"/>es.</summary>
    public void Loaded(IEnumerable<long> hashes)
    {
        if (!header.TryRead(out var now))
        {
            return;
        }
        lock (_gate)
        {
            if (_abandoned)
            {
                return;
            }
            foreach (var hash in hashes)
            {
                _hashes.Add(hash);
            }
            _mine = now;
            _begun = null;
            _trusted = true;
        }
    }

    /// <summary>Adds the hash of a key the writer is about to commit (before its commit, so that no miss is answered for
    /// it once it is in the file).</summary>
    /// <returns><c>true</c> when the file surely has no entry of <paramref name="hash"/>: the writer's transaction began
    /// while the set was trusted (<see cref="Begin"/>: nobody else committed since this cache's last commit, and nobody can
    /// until it ends) and the hash was not in the set; the writer may then add the entry without looking for one.</returns>
    public bool Adding(long hash)
    {
        lock (_gate)
        {
            return _hashes.Add(hash) && _trusted && _begun is not null;
        }
    }

    /// <summary>The writer's transaction has begun (it holds the file's write lock): checks that nobody else has
    /// committed since this cache's last commit.</summary>
    public void Begin()
    {
        if (!TryReadTrusted(out var now))
        {
            return;
        }
        lock (_gate)
        {
            if (now.Commits != _mine.Commits)
            {
                AbandonLocked();
                return;
            }
            _begun = now;
        }
    }

    /// <summary>The writer's transaction committed: its header is the one to compare with from now on when it counts
    /// exactly one commit more than at <see cref="Begin"/> (anything else: someone committed right after it, so the set is
    /// no longer trusted).</summary>
    public void Committed()
    {
        if (!TryReadTrusted(out var now))
        {
            return;
        }
        lock (_gate)
        {
            if (_begun is not { } begun)
            {
                AbandonLocked();
                return;
            }
            _begun = null;
            if (now.Commits == begun.Commits + 1)
            {
                _mine = now;
            }
            else if (now.Commits != begun.Commits)
            {
                AbandonLocked();
            }
        }
    }

    /// <summary>The header now, while the set is trusted; a header that cannot be read ends the trust
    /// (<see cref="Abandon"/>). <c>false</c>: nothing more to do.</summary>
    private bool TryReadTrusted(out WalIndexHeader.Snapshot now)
    {
        if (!_trusted)
        {
            now = default;
            return false;
        }
        if (!header.TryRead(out now))
        {
            Abandon();
            return false;
        }
        return true;
    }

    /// <summary>Stops trusting the set for good (and frees it).</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            AbandonLocked();
        }
    }

    private void AbandonLocked()
    {
        _trusted = false;
        _abandoned = true;
        _hashes.Clear();
        _hashes.TrimExcess();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Abandon();
        header.Dispose();
    }
}
