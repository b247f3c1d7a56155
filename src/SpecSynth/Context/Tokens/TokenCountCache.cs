using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// Exact token counts remembered across processes, in <c>&lt;state&gt;/context-index/tokens.ctxtok</c>: key = the
/// counter's id (encoding and tokenizer version, <see cref="CounterId"/>) and the 128-bit <see cref="TokenTextHash"/>
/// of the exact text counted (or of a list of lines, whose value is one count per line); value = the count(s). So a
/// warm context plan over an unchanged project counts nothing and never loads a tokenizer.
/// <para>In memory it holds at most <see cref="MaxEntries"/> entries (<see cref="TokenCountTable"/>: one array of slots, a
/// clock keeps the entries looked up again), read on the first lookup from the file and the journals. What this process adds (or uses on a later day) goes to its own append-only
/// <see cref="TokenCountJournal"/>: in a batch at most every <see cref="SaveInterval"/> (<see cref="Flush"/>), and before an
/// entry not yet written would leave memory. At its first flush and when it exits (a forced flush) it merges, under the lock file
/// <c>tokens.ctxtok.lock</c>, the file, its journal and the journals of processes that are gone into a new file (temp file
/// + rename, owner-only), kept under its size cap by dropping the entries used least recently (by day), then deletes the
/// journals merged: no process drops what another wrote. It is a cache: a missing, truncated, corrupted (checksum) or
/// foreign file is read as empty, a journal is read up to its first torn or damaged batch, and a failed write is ignored,
/// so the counts never change, only the time they take. Thread-safe.</para>
/// </summary>
internal sealed class TokenCountCache
{
    /// <summary>The file name under the context index folder.</summary>
    public const string FileName = "tokens.ctxtok";

    /// <summary>The default size cap of the file.</summary>
    public const long DefaultMaxBytes = 16L * 1024 * 1024;

    /// <summary>The default cap of the entries held in memory: ~7 times what the warm context plan of the 20,019-file Node.js
    /// tree uses (~2,300), ~0.9 MB of slots and index; a many-spec run adds ~4 entries a spec it never looks up again.</summary>
    public const int DefaultMaxEntries = 16_384;

    /// <summary>The least time between two writes of one process (the last one is written when it exits).</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long a forced flush waits for another process's merge (then its journal stays for a later one).</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(1);

    private const string LockSuffix = ".lock";

    private static readonly ConcurrentDictionary<string, TokenCountCache> Shared = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private TokenCountTable? _table;
    private TokenCountJournal? _journal;
    // Slots flagged Pending: not yet in this process's journal.
    private int _pending;
    private bool _exitHooked;
    private long _lastSave;

    /// <summary>A cache kept in the file <paramref name="path"/>, at most <paramref name="maxBytes"/> long, holding at most
    /// <paramref name="maxEntries"/> entries in memory.</summary>
    public TokenCountCache(string path, TimeProvider? time = null, long maxBytes = DefaultMaxBytes, int maxEntries = DefaultMaxEntries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        FilePath = Path.GetFullPath(path);
        MaxBytes = maxBytes;
        MaxEntries = maxEntries;
        _time = time ?? Hosting.CompositionRoot.SystemClock;
    }

    /// <summary>The cache file.</summary>
    public string FilePath { get; }

    /// <summary>The size cap of the file.</summary>
    public long MaxBytes { get; }

    /// <summary>The most entries held in memory.</summary>
    public int MaxEntries { get; }

    /// <summary>Lookups answered from the cache (since this instance was made).</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Lookups the cache could not answer.</summary>
    public int Misses => Volatile.Read(ref _misses);

    /// <summary>The entries held in memory now.</summary>
    internal int InMemory
    {
        get
        {
            lock (_gate)
            {
                return _table?.Count ?? 0;
            }
        }
    }

    private int _hits, _misses;

    /// <summary>The process's cache for the state folder <paramref name="stateDir"/> (one instance per folder).</summary>
    public static TokenCountCache InStateDir(string stateDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDir);
        var path = Path.GetFullPath(Path.Combine(stateDir, Index.ContextIndexOptions.FolderName, FileName));
        return Shared.GetOrAdd(path, p => new TokenCountCache(p));
    }

    /// <summary>Forgets the process's instance for <paramref name="stateDir"/> (tests: the next <see cref="InStateDir"/> reads
    /// the file again, as a new process would).</summary>
    internal static void Forget(string stateDir) =>
        Shared.TryRemove(Path.GetFullPath(Path.Combine(stateDir, Index.ContextIndexOptions.FolderName, FileName)), out _);

    /// <summary>The id of a counter in the cache's keys: its encoding and the tokenizer library's version, so an upgrade
    /// that changes how text is split never reuses an old count.</summary>
    public static ulong CounterId(string encoding) =>
        XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(encoding + "\n" + TiktokenEncodings.LibraryVersion));

    /// <summary>The counts of long texts by string instance for <paramref name="counter"/>, kept beside this cache (a string
    /// counted through it is a string it holds, so the instance's count may skip the hash).</summary>
    internal System.Runtime.CompilerServices.ConditionalWeakTable<string, System.Runtime.CompilerServices.StrongBox<int>> Instances(ulong counter) =>
        _instances.GetOrAdd(counter, _ => new());

    private readonly ConcurrentDictionary<ulong, System.Runtime.CompilerServices.ConditionalWeakTable<string, System.Runtime.CompilerServices.StrongBox<int>>> _instances = new();

    /// <summary>The count of the text whose <see cref="TokenTextHash"/> is <paramref name="hash"/>, if remembered.</summary>
    public bool TryGet(ulong counter, TextHash hash, out int count)
    {
        lock (_gate)
        {
            var slot = Find(counter, TokenCountSlot.TextKind, hash);
            if (slot >= 0)
            {
                count = _table![slot].Count;
                return true;
            }
        }
        count = 0;
        return false;
    }

    /// <summary>Remembers the count of a text.</summary>
    public void Add(ulong counter, TextHash hash, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Put(new TokenCountSlot { Counter = counter, Kind = TokenCountSlot.TextKind, Lower = hash.Lower, Upper = hash.Upper, Count = count });
    }

    /// <summary>The counts of each line of the list whose <see cref="TokenTextHash.OfLines"/> is <paramref name="hash"/>, if remembered
    /// (a copy: the caller may keep it).</summary>
    public int[]? TryGetLines(ulong counter, TextHash hash)
    {
        lock (_gate)
        {
            var slot = Find(counter, TokenCountSlot.LinesKind, hash);
            return slot < 0 ? null : _table![slot].Lines!.ToArray();
        }
    }

    /// <summary>Remembers the counts of each line of a list.</summary>
    public void AddLines(ulong counter, TextHash hash, IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        Put(new TokenCountSlot { Counter = counter, Kind = TokenCountSlot.LinesKind, Lower = hash.Lower, Upper = hash.Upper, Lines = [.. counts] });
    }

    /// <summary>Appends what was added or used since the last write to this process's journal, unless this process wrote less
    /// than <see cref="SaveInterval"/> ago (or <paramref name="force"/>); the first write of this instance and a forced one (at
    /// exit) also merge its journal into the file. Never throws for file-system problems.</summary>
    public void Flush(bool force = false)
    {
        lock (_gate)
        {
            if (_table is null || (_pending == 0 && !(force && _journal is not null))
                || (!force && _lastSave != 0 && _time.GetElapsedTime(_lastSave) < SaveInterval))
            {
                return;
            }
            var first = _lastSave == 0;
            AppendPending();
            // The first write of a process (a context plan's counts) and the last are merged into the file at once; those
            // in between are appended to the journal only.
            if ((force || first) && _journal is not null && !Compact(force ? LockWait : TimeSpan.Zero) && force)
            {
                // Another process merges for longer than we wait: let the journal go, the next merge takes it.
                _journal.Dispose();
                _journal = null;
            }
            _lastSave = _time.GetTimestamp();
        }
    }

    /// <summary>The slot of the key (marked as looked up, its day brought to today), or -1; under <see cref="_gate"/>.</summary>
    private int Find(ulong counter, byte kind, TextHash hash)
    {
        var table = _table ??= Load();
        var slot = table.Find(counter, kind, hash.Lower, hash.Upper);
        if (slot < 0)
        {
            _misses++;
            return -1;
        }
        _hits++;
        ref var entry = ref table[slot];
        entry.Flags |= TokenCountSlot.Referenced;
        var today = Today();
        if (entry.Day < today)
        {
            entry.Day = today;
            MarkPending(ref entry);
        }
        return slot;
    }

    private void Put(TokenCountSlot entry)
    {
        lock (_gate)
        {
            var table = _table ??= Load();
            entry.Day = Today();
            var slot = table.Find(entry.Counter, entry.Kind, entry.Lower, entry.Upper);
            if (slot >= 0)
            {
                ref var held = ref table[slot];
                entry.Flags = (byte)(held.Flags | TokenCountSlot.Referenced);
                held = entry;
                MarkPending(ref held);
                return;
            }
            if (!table.IsFull)
            {
                slot = table.Add(entry);
            }
            else
            {
                slot = table.Victim();
                if ((table[slot].Flags & TokenCountSlot.Pending) != 0)
                {
                    // Everything not yet written goes to the journal first: an entry leaves memory only once on disk.
                    AppendPending();
                }
                table.Replace(slot, entry);
            }
            MarkPending(ref table[slot]);
        }
    }

    private void MarkPending(ref TokenCountSlot entry)
    {
        if ((entry.Flags & TokenCountSlot.Pending) == 0)
        {
            entry.Flags |= TokenCountSlot.Pending;
            _pending++;
        }
        if (!_exitHooked)
        {
            _exitHooked = true;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Flush(force: true);
        }
    }

    private int Today() => (int)(_time.GetUtcNow().ToUnixTimeSeconds() / 86400);

    /// <summary>The entries in memory at the first lookup: those of the journals (the newest), then the file's, as many as fit.</summary>
    private TokenCountTable Load()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(FilePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            bytes = [];
        }
        var table = new TokenCountTable(MaxEntries, (int)Math.Min(MaxEntries, 256 + (bytes.Length / (TokenCountFile.EntryHeaderBytes + 4))));
        foreach (var path in TokenCountJournal.Find(FilePath))
        {
            if (TokenCountJournal.TryRead(path) is { } journal)
            {
                TokenCountFile.ReadJournal(journal, table);
            }
        }
        TokenCountFile.ReadFile(bytes, table);
        return table;
    }

    /// <summary>Appends the pending entries to this process's journal (made on the first append); a write that fails loses
    /// them for the next run only. Under <see cref="_gate"/>.</summary>
    private void AppendPending()
    {
        if (_pending == 0 || _table is not { } table)
        {
            return;
        }
        var slots = ArrayPool<int>.Shared.Rent(_pending);
        try
        {
            var n = 0;
            for (var slot = 0; slot < table.Count && n < slots.Length; slot++)
            {
                ref var entry = ref table[slot];
                if ((entry.Flags & TokenCountSlot.Pending) != 0)
                {
                    entry.Flags &= unchecked((byte)~TokenCountSlot.Pending);
                    slots[n++] = slot;
                }
            }
            _pending = 0;
            _journal ??= TokenCountJournal.Create(FilePath);
            _journal.Append(table, slots, n);
            if (_journal.Length > MaxBytes / 2)
            {
                // A run that adds more than half the cap: merged now (if no other process is merging), so the journal
                // stays bounded too.
                Compact(TimeSpan.Zero);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cache: the next run counts again.
        }
        finally
        {
            ArrayPool<int>.Shared.Return(slots);
        }
    }

    /// <summary>Merges the file, this process's journal and the journals of processes that are gone into a new file (the
    /// newest days that fit the cap), then deletes the journals merged; false when another process held the lock for longer
    /// than <paramref name="wait"/>. Under <see cref="_gate"/>.</summary>
    private bool Compact(TimeSpan wait)
    {
        using var held = TakeLock(wait);
        if (held is null)
        {
            return false;
        }
        var dead = new List<(string Path, FileStream Lock, byte[] Bytes)>();
        try
        {
            byte[] file;
            try
            {
                file = File.ReadAllBytes(FilePath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                file = [];
            }
            var own = _journal?.ReadAll() ?? [];
            long total = file.Length + own.Length;
            foreach (var path in TokenCountJournal.Find(FilePath))
            {
                if (path != _journal?.Path && TokenCountJournal.TryTakeDead(path) is { } taken)
                {
                    dead.Add((path, taken.Lock, taken.Bytes));
                    total += taken.Bytes.Length;
                }
            }
            var merged = new TokenCountTable(int.MaxValue / 4, (int)Math.Min(int.MaxValue / 4, 16 + (total / (TokenCountFile.EntryHeaderBytes + 4))));
            // The journals first: among entries of one day, those written last are kept first when the cap is reached.
            TokenCountFile.ReadJournal(own, merged);
            foreach (var journal in dead)
            {
                TokenCountFile.ReadJournal(journal.Bytes, merged);
            }
            TokenCountFile.ReadFile(file, merged);
            Write(merged);
            _journal?.Delete();
            _journal = null;
            foreach (var journal in dead)
            {
                journal.Lock.Dispose();
                TokenCountJournal.TryDelete(journal.Path);
            }
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
        finally
        {
            foreach (var journal in dead)
            {
                journal.Lock.Dispose();
            }
        }
    }

    /// <summary>The lock of the file's merges (a file beside it, locked with <see cref="FileShare.None"/>, kept on disk), or
    /// <c>null</c> when another process holds it for longer than <paramref name="wait"/>.</summary>
    private FileStream? TakeLock(TimeSpan wait)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
                return new FileStream(FilePath + LockSuffix, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            catch (IOException)
            {
                if (_time.GetElapsedTime(started) >= wait)
                {
                    return null;
                }
                Thread.Sleep(5);
            }
        }
    }

    /// <summary>Writes <paramref name="merged"/> as the file: everything when it fits the cap (in the table's order: the
    /// journals', then the file's), else the most recently used days first (ties in the table's order), as many as fit.</summary>
    private void Write(TokenCountTable merged)
    {
        var slots = new int[merged.Count];
        long size = TokenCountFile.HeaderBytes + TokenCountFile.TrailerBytes;
        for (var slot = 0; slot < slots.Length; slot++)
        {
            slots[slot] = slot;
            size += TokenCountFile.SizeOf(merged[slot]);
        }
        var count = size <= MaxBytes ? slots.Length : Newest(merged, slots);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temp = FilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, CreateOptions))
            {
                TokenCountFile.WriteFile(stream, merged, slots, count);
            }
            File.Move(temp, FilePath, overwrite: true);
        }
        catch
        {
            TokenCountJournal.TryDelete(temp);
            throw;
        }
    }

    /// <summary>Orders <paramref name="slots"/> newest day first and returns how many of them, in that order, fit the cap
    /// (those that do not are moved past them).</summary>
    private int Newest(TokenCountTable merged, int[] slots)
    {
        var order = new ulong[slots.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = ((ulong)((long)int.MaxValue - merged[i].Day) << 32) | (uint)i;
        }
        Array.Sort(order);
        var kept = 0;
        var dropped = new List<int>();
        long size = TokenCountFile.HeaderBytes + TokenCountFile.TrailerBytes;
        foreach (var rank in order)
        {
            var slot = (int)(uint)rank;
            var bytes = TokenCountFile.SizeOf(merged[slot]);
            if (size + bytes > MaxBytes)
            {
                dropped.Add(slot);
                continue;
            }
            size += bytes;
            slots[kept++] = slot;
        }
        dropped.CopyTo(slots, kept);
        return kept;
    }

    private static readonly FileStreamOptions CreateOptions = OperatingSystem.IsWindows()
        ? new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 }
        : new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };

    /// <summary>The entries of the file at <paramref name="path"/> in its order (not its journals'); empty when it is missing,
    /// unreadable, truncated, corrupted or not a cache file.</summary>
    internal static List<TokenCountSlot> Read(string path)
    {
        var table = new TokenCountTable(int.MaxValue / 4);
        try
        {
            TokenCountFile.ReadFile(File.ReadAllBytes(path), table);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        var entries = new List<TokenCountSlot>(table.Count);
        for (var slot = 0; slot < table.Count; slot++)
        {
            entries.Add(table[slot]);
        }
        return entries;
    }
}
