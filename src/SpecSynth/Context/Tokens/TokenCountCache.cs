using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// Exact token counts remembered across processes, in <c>&lt;state&gt;/context-index/tokens.ctxtok</c>: key = the
/// counter's id (encoding and tokenizer version, <see cref="CounterId"/>) and the 128-bit <see cref="TokenTextHash"/>
/// of the exact text counted (or of a list of lines, whose value is one count per line); value = the count(s). So a
/// warm context plan over an unchanged project counts nothing and never loads a tokenizer. The file is read on the first
/// lookup, written (owner-only, temp file + rename) by <see cref="Flush"/> when something was added, at most every
/// <see cref="SaveInterval"/> (and when the process exits), merged with what another process wrote meanwhile, and kept
/// under its size cap by dropping the entries used least recently (by day). A process keeps at most
/// <see cref="MaxEntries"/> entries in memory (a run of thousands of specs adds a few a spec): past it, everything is
/// written (merged with the file, streamed through a small buffer) and the entries used least recently are forgotten, so
/// the next run still finds them in the file. It is a cache: a missing, truncated,
/// corrupted (checksum) or foreign file is read as empty and a failed write is ignored, so the counts never change,
/// only the time they take. Thread-safe.
/// </summary>
internal sealed class TokenCountCache
{
    /// <summary>The file name under the context index folder.</summary>
    public const string FileName = "tokens.ctxtok";

    /// <summary>The default size cap of the file.</summary>
    public const long DefaultMaxBytes = 16L * 1024 * 1024;

    /// <summary>The default number of entries kept in memory: 16,384 (~1.5 MB). A warm context plan of the 20,000-file
    /// Node.js tree uses ~2,300 (its file is 84 KB), a spec of a many-spec run adds ~4 it never uses again; past the cap the
    /// least recently used quarter is dropped from memory (it stays in the file).</summary>
    public const int DefaultMaxEntries = 16 * 1024;

    /// <summary>The least time between two writes of one process (the last one is written when it exits).</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(2);

    private const ulong Magic = 0x3130_4B4F_5443_5353; // "SSCTOK01", little-endian
    private const int HeaderBytes = 12, TrailerBytes = 8;
    private const byte TextKind = 0, LinesKind = 1;

    /// <summary>The bytes of an entry before its values: counter, kind, hash, day and value count.</summary>
    internal const int EntryHeaderBytes = 8 + 1 + 16 + 4 + 4;

    private static readonly ConcurrentDictionary<string, TokenCountCache> Shared = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    // One object per entry (its key, counts and day; a text's one count inline), in a set by key: a run of thousands of
    // specs adds ~4 entries a spec and keeps them (the next run's counts), so their size is the run's growth.
    private HashSet<Entry>? _entries;
    // The key looked up (under _gate), so a lookup allocates nothing.
    private readonly Entry _probe = new(0, TextKind, default, 0, null, 0);
    private bool _dirty, _exitHooked;
    // Whether every entry of the file (as this process last read or wrote it) is in _entries: only then may a save write
    // _entries alone; else it streams the file's other entries through.
    private bool _complete = true;
    // The use clock: an entry's Used is the tick of its last lookup or addition (the least recently used are dropped).
    private long _tick;
    private long _lastSave;
    private Index.FileSignature? _written;

    /// <summary>A cache kept in the file <paramref name="path"/>, at most <paramref name="maxBytes"/> long.</summary>
    public TokenCountCache(string path, TimeProvider? time = null, long maxBytes = DefaultMaxBytes, int maxEntries = DefaultMaxEntries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 4);
        FilePath = Path.GetFullPath(path);
        MaxBytes = maxBytes;
        MaxEntries = maxEntries;
        _time = time ?? Hosting.CompositionRoot.SystemClock;
    }

    /// <summary>The cache file.</summary>
    public string FilePath { get; }

    /// <summary>The size cap of the file.</summary>
    public long MaxBytes { get; }

    /// <summary>The most entries kept in memory.</summary>
    public int MaxEntries { get; }

    /// <summary>The entries in memory now (tests).</summary>
    internal int InMemory
    {
        get
        {
            lock (_gate)
            {
                return _entries?.Count ?? 0;
            }
        }
    }

    /// <summary>Lookups answered from the cache (since this instance was made).</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Lookups the cache could not answer.</summary>
    public int Misses => Volatile.Read(ref _misses);

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
            if (Find(counter, TextKind, hash) is { } entry)
            {
                count = entry.Count;
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
        Put(new Entry(counter, TextKind, hash, count, null, 0));
    }

    /// <summary>The counts of each line of the list whose <see cref="TokenTextHash.OfLines"/> is <paramref name="hash"/>, if remembered
    /// (a copy: the caller may keep it).</summary>
    public int[]? TryGetLines(ulong counter, TextHash hash)
    {
        lock (_gate)
        {
            return Find(counter, LinesKind, hash)?.Lines!.ToArray();
        }
    }

    /// <summary>Remembers the counts of each line of a list.</summary>
    public void AddLines(ulong counter, TextHash hash, IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        Put(new Entry(counter, LinesKind, hash, 0, [.. counts], 0));
    }

    /// <summary>Writes what was added or used since the last write, unless this process wrote less than
    /// <see cref="SaveInterval"/> ago (or <paramref name="force"/>). Never throws for file-system problems. Once entries
    /// were dropped from memory (<see cref="MaxEntries"/>) only a forced flush writes: the cap's own writes keep the file
    /// current, and each write of an incomplete set streams the whole file through.</summary>
    public void Flush(bool force = false)
    {
        lock (_gate)
        {
            if (!_dirty || _entries is null || (!force && (!_complete || (_lastSave != 0 && _time.GetElapsedTime(_lastSave) < SaveInterval))))
            {
                return;
            }
            SaveNow();
        }
    }

    /// <summary>Writes now, ignoring file-system problems; under <see cref="_gate"/>.</summary>
    private void SaveNow()
    {
        try
        {
            Save();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cache: the next run counts again.
        }
        _dirty = false;
        _lastSave = _time.GetTimestamp();
    }

    /// <summary>The entry of the key, its day brought to today; under <see cref="_gate"/>.</summary>
    private Entry? Find(ulong counter, byte kind, TextHash hash)
    {
        var entries = _entries ??= Load();
        _probe.Counter = counter;
        _probe.Kind = kind;
        _probe.Hash = hash;
        if (!entries.TryGetValue(_probe, out var entry))
        {
            _misses++;
            return null;
        }
        _hits++;
        entry.Used = ++_tick;
        var today = Today();
        if (entry.Day < today)
        {
            entry.Day = today;
            MarkDirty();
        }
        return entry;
    }

    private void Put(Entry entry)
    {
        lock (_gate)
        {
            var entries = _entries ??= Load();
            entry.Day = Today();
            entry.Used = ++_tick;
            if (!entries.Add(entry))
            {
                entries.Remove(entry);
                entries.Add(entry);
            }
            MarkDirty();
            if (entries.Count > MaxEntries)
            {
                Evict(entries);
            }
        }
    }

    /// <summary>Writes everything (so nothing dropped is lost to the next run), then keeps the three quarters of
    /// <see cref="MaxEntries"/> used most recently; under <see cref="_gate"/>.</summary>
    private void Evict(HashSet<Entry> entries)
    {
        SaveNow();
        entries = _entries!;
        var keep = MaxEntries / 4 * 3;
        if (entries.Count <= keep)
        {
            return;
        }
        var used = new long[entries.Count];
        var i = 0;
        foreach (var entry in entries)
        {
            used[i++] = entry.Used;
        }
        Array.Sort(used);
        // Ties at the threshold (entries read from the file and never used share 0) go until keep are left.
        var threshold = used[^keep];
        var tiesToDrop = entries.Count - keep - used.AsSpan().IndexOf(threshold);
        entries.RemoveWhere(entry => entry.Used < threshold || (entry.Used == threshold && tiesToDrop-- > 0));
        _complete = false;
    }

    /// <summary>The file's entries, at most <see cref="MaxEntries"/> (the most recently used days); empty when it is missing
    /// or not a valid cache file.</summary>
    private HashSet<Entry> Load()
    {
        _complete = true;
        try
        {
            using var file = OpenForRead(FilePath);
            var length = file.Length;
            if ((length - HeaderBytes - TrailerBytes) / (EntryHeaderBytes + 4) <= MaxEntries)
            {
                var bytes = new byte[length];
                file.ReadExactly(bytes);
                return Parse(bytes) ?? [];
            }
            return LoadNewest(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The <see cref="MaxEntries"/> entries of the largest days of a file that may hold more, in two streamed passes.</summary>
    private HashSet<Entry> LoadNewest(FileStream file)
    {
        var perDay = new Dictionary<int, int>();
        if (!Scan(file, entry => perDay[entry.Day] = perDay.GetValueOrDefault(entry.Day) + 1))
        {
            return [];
        }
        var taken = 0;
        var cutoff = int.MinValue;
        foreach (var day in perDay.Keys.OrderDescending())
        {
            if (taken + perDay[day] > MaxEntries)
            {
                cutoff = day;
                break;
            }
            taken += perDay[day];
        }
        var room = MaxEntries - taken;
        var entries = new HashSet<Entry>();
        var valid = Scan(file, entry =>
        {
            if (entry.Day > cutoff || (entry.Day == cutoff && room-- > 0))
            {
                entries.Remove(entry);
                entries.Add(entry);
            }
        });
        _complete = valid && cutoff == int.MinValue;
        return valid ? entries : [];
    }

    private static FileStream OpenForRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);

    /// <summary>Calls <paramref name="each"/> with every entry of <paramref name="file"/> in order, through a small buffer;
    /// false when it is truncated, corrupted or not a cache file (then some entries may have been given already).</summary>
    private static bool Scan(FileStream file, Action<Entry> each)
    {
        var length = file.Length;
        if (length < HeaderBytes + TrailerBytes)
        {
            return false;
        }
        var reader = new TokenCountFileReader(file, length - TrailerBytes);
        if (!reader.TryTake(HeaderBytes, out var header) || BinaryPrimitives.ReadUInt64LittleEndian(header) != Magic)
        {
            return false;
        }
        var count = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (count < 0 || count > reader.Remaining / EntryHeaderBytes)
        {
            return false;
        }
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryTake(EntryHeaderBytes, out var span))
            {
                return false;
            }
            var counter = BinaryPrimitives.ReadUInt64LittleEndian(span);
            var kind = span[8];
            var hash = new TextHash(BinaryPrimitives.ReadUInt64LittleEndian(span[17..]), BinaryPrimitives.ReadUInt64LittleEndian(span[9..]));
            var day = BinaryPrimitives.ReadInt32LittleEndian(span[25..]);
            var n = BinaryPrimitives.ReadInt32LittleEndian(span[29..]);
            if (kind > LinesKind || n < 0 || (kind == TextKind && n != 1) || n > reader.Remaining / 4)
            {
                return false;
            }
            var values = kind == TextKind ? null : new int[n];
            var first = 0;
            for (var v = 0; v < n; v++)
            {
                if (!reader.TryTake(4, out var bytes))
                {
                    return false;
                }
                var value = BinaryPrimitives.ReadInt32LittleEndian(bytes);
                if (value < 0)
                {
                    return false;
                }
                if (values is null)
                {
                    first = value;
                }
                else
                {
                    values[v] = value;
                }
            }
            each(new Entry(counter, kind, hash, first, values, day));
        }
        return reader.Remaining == 0 && reader.ReadTrailer() == reader.Checksum.Finish();
    }

    private void MarkDirty()
    {
        _dirty = true;
        if (!_exitHooked)
        {
            _exitHooked = true;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Flush(force: true);
        }
    }

    private int Today() => (int)(_time.GetUtcNow().ToUnixTimeSeconds() / 86400);

    /// <summary>Merges what is on disk now (another process may have written) and writes the newest entries that fit the cap.</summary>
    private void Save()
    {
        if (!_complete || !FitsInMemory())
        {
            SaveStreamed();
            return;
        }
        // The file this process wrote last, still in place (no other process renamed its own over it since: same inode, size
        // and modification time), holds nothing this process does not: it is not read and parsed again. A run that adds
        // counts for minutes (thousands of specs) saved every SaveInterval, re-reading a file that grew with the run.
        var merged = IsOursStill() ? _entries! : Read(FilePath);
        if (!ReferenceEquals(merged, _entries))
        {
            foreach (var entry in _entries!)
            {
                if (!merged.TryGetValue(entry, out var other))
                {
                    merged.Add(entry);
                }
                else if (other.Day <= entry.Day)
                {
                    merged.Remove(other);
                    merged.Add(entry);
                }
            }
        }
        // Everything, when it fits the cap (the usual case), in the dictionary's order; else the newest days first (ties in
        // the dictionary's order: a stable sort, by hand so nothing generic over a struct is left to the JIT), then as many
        // as fit. A run of thousands of specs saves every SaveInterval: the sort's three arrays and one buffer of the whole
        // file were large-object-heap garbage each time (~2.5 MB per save at 40,000 entries), so the fitting case copies
        // nothing and the file is written through a small buffer.
        long size = HeaderBytes + TrailerBytes;
        foreach (var entry in merged)
        {
            size += EntryHeaderBytes + (4L * entry.ValueCount);
        }
        var kept = size <= MaxBytes ? null : Newest(merged);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temp = FilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, CreateOptions))
            {
                var entries = kept ?? (IReadOnlyCollection<Entry>)merged;
                var writer = new TokenCountFileWriter(stream, Magic, entries.Count);
                foreach (var entry in entries)
                {
                    writer.Add(entry);
                }
                writer.Finish();
            }
            // Taken before the rename (which keeps inode, size and modification time): after it, another process's file
            // could already be in its place.
            _written = Index.FileSignature.Of(temp);
            File.Move(temp, FilePath, overwrite: true);
        }
        catch
        {
            _written = null;
            try
            {
                File.Delete(temp);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left for the context index's clean-up of stale temporary files.
            }
            throw;
        }
        if (kept is null)
        {
            _entries = merged;
            return;
        }
        _entries = [.. kept];
    }

    /// <summary>Whether the file on disk (if any) is small enough that all its entries may be read into memory to merge.</summary>
    private bool FitsInMemory()
    {
        try
        {
            var info = new FileInfo(FilePath);
            return !info.Exists || (info.Length - HeaderBytes - TrailerBytes) / (EntryHeaderBytes + 4) <= MaxEntries;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>Writes the entries in memory and those of the file that are not, streaming the file through (twice, three
    /// times past the size cap) rather than reading it into memory; past the cap the newest days are kept (the oldest kept
    /// day's entries as they fit). Memory stays as it is.</summary>
    private void SaveStreamed()
    {
        var entries = _entries!;
        FileStream? old = null;
        try
        {
            old = OpenForRead(FilePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing to merge.
        }
        using (old)
        {
            var perDay = new Dictionary<int, (long Bytes, int Count)>();
            void Tally(Dictionary<int, (long Bytes, int Count)> days, Entry entry)
            {
                var (bytes, count) = days.GetValueOrDefault(entry.Day);
                days[entry.Day] = (bytes + EntryHeaderBytes + (4L * entry.ValueCount), count + 1);
            }
            var onDisk = new Dictionary<int, (long Bytes, int Count)>();
            var others = 0;
            var valid = old is not null && Scan(old, entry =>
            {
                if (!entries.Contains(entry))
                {
                    Tally(onDisk, entry);
                    others++;
                }
            });
            if (valid)
            {
                perDay = onDisk;
            }
            else
            {
                others = 0;
            }
            foreach (var entry in entries)
            {
                Tally(perDay, entry);
            }
            long size = HeaderBytes + TrailerBytes;
            var total = 0;
            var cutoff = int.MinValue;
            long tieRoom = 0;
            foreach (var day in perDay.Keys.OrderDescending())
            {
                var (bytes, count) = perDay[day];
                if (size + bytes > MaxBytes)
                {
                    cutoff = day;
                    tieRoom = MaxBytes - size;
                    break;
                }
                size += bytes;
                total += count;
            }
            var room = tieRoom;
            bool Keep(Entry entry)
            {
                if (entry.Day != cutoff)
                {
                    return entry.Day > cutoff;
                }
                var bytes = EntryHeaderBytes + (4L * entry.ValueCount);
                if (bytes > room)
                {
                    return false;
                }
                room -= bytes;
                return true;
            }
            if (cutoff != int.MinValue)
            {
                // The oldest kept day's entries that fit, in the order they are written: counted by a dry run.
                foreach (var entry in entries)
                {
                    total += entry.Day == cutoff && Keep(entry) ? 1 : 0;
                }
                if (valid && !Scan(old!, entry => total += entry.Day == cutoff && !entries.Contains(entry) && Keep(entry) ? 1 : 0))
                {
                    throw new IOException("the token-count cache file changed while it was merged");
                }
                room = tieRoom;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            var temp = FilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                using (var stream = new FileStream(temp, CreateOptions))
                {
                    var writer = new TokenCountFileWriter(stream, Magic, total);
                    foreach (var entry in entries)
                    {
                        if (Keep(entry))
                        {
                            writer.Add(entry);
                        }
                    }
                    if (valid && !Scan(old!, entry =>
                    {
                        if (!entries.Contains(entry) && Keep(entry))
                        {
                            writer.Add(entry);
                        }
                    }))
                    {
                        throw new IOException("the token-count cache file changed while it was merged");
                    }
                    writer.Finish();
                }
                _written = Index.FileSignature.Of(temp);
                File.Move(temp, FilePath, overwrite: true);
            }
            catch
            {
                _written = null;
                try
                {
                    File.Delete(temp);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Left for the context index's clean-up of stale temporary files.
                }
                throw;
            }
            // Memory holds all of the file just written when the old file had nothing else.
            _complete = others == 0;
        }
    }

    /// <summary>The newest entries of <paramref name="merged"/> that fit the cap, the most recently used days first.</summary>
    private List<Entry> Newest(HashSet<Entry> merged)
    {
        var all = new Entry[merged.Count];
        merged.CopyTo(all, 0);
        var order = new ulong[all.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = ((ulong)((long)int.MaxValue - all[i].Day) << 32) | (uint)i;
        }
        Array.Sort(order);
        var kept = new List<Entry>(all.Length);
        long size = HeaderBytes + TrailerBytes;
        foreach (var rank in order)
        {
            var entry = all[(int)(uint)rank];
            var bytes = EntryHeaderBytes + (4L * entry.ValueCount);
            if (size + bytes > MaxBytes)
            {
                continue;
            }
            size += bytes;
            kept.Add(entry);
        }
        return kept;
    }

    /// <summary>Whether the file is still the one this process wrote last (where inodes are known: Linux).</summary>
    private bool IsOursStill() =>
        _written is { Inode: not 0 } written && Index.FileSignature.Of(FilePath) is { } now
        && now.Inode == written.Inode && now.Size == written.Size && now.ModifiedNs == written.ModifiedNs;

    private static readonly FileStreamOptions CreateOptions = OperatingSystem.IsWindows()
        ? new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 }
        : new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };

    /// <summary>The entries of the file at <paramref name="path"/>; empty when it is missing, unreadable, truncated, corrupted or not a cache file.</summary>
    internal static HashSet<Entry> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        return Parse(bytes) ?? [];
    }

    private static HashSet<Entry>? Parse(ReadOnlySpan<byte> span)
    {
        if (span.Length < HeaderBytes + TrailerBytes || BinaryPrimitives.ReadUInt64LittleEndian(span) != Magic
            || BinaryPrimitives.ReadUInt64LittleEndian(span[^TrailerBytes..]) != Index.IndexChecksum.Of(span[..^TrailerBytes]))
        {
            return null;
        }
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        var end = span.Length - TrailerBytes;
        if (count < 0 || count > end / EntryHeaderBytes)
        {
            return null;
        }
        var entries = new HashSet<Entry>(count);
        var at = HeaderBytes;
        for (var i = 0; i < count; i++)
        {
            if (end - at < EntryHeaderBytes)
            {
                return null;
            }
            var counter = BinaryPrimitives.ReadUInt64LittleEndian(span[at..]);
            var kind = span[at + 8];
            var hash = new TextHash(BinaryPrimitives.ReadUInt64LittleEndian(span[(at + 17)..]), BinaryPrimitives.ReadUInt64LittleEndian(span[(at + 9)..]));
            var day = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 25)..]);
            var n = BinaryPrimitives.ReadInt32LittleEndian(span[(at + 29)..]);
            at += EntryHeaderBytes;
            if (kind > LinesKind || n < 0 || (kind == TextKind && n != 1) || n > (end - at) / 4)
            {
                return null;
            }
            var values = kind == TextKind ? null : new int[n];
            var first = 0;
            for (var v = 0; v < n; v++, at += 4)
            {
                var value = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
                if (value < 0)
                {
                    return null;
                }
                if (values is null)
                {
                    first = value;
                }
                else
                {
                    values[v] = value;
                }
            }
            var entry = new Entry(counter, kind, hash, first, values, day);
            if (!entries.Add(entry))
            {
                entries.Remove(entry);
                entries.Add(entry);
            }
        }
        return at == end ? entries : null;
    }

    /// <summary>An entry: its key (the counter, what was counted: a text or a list of lines, and its hash), its count(s)
    /// and the day (since 1970) it was last used. Equal by key. A class, so the set over it is the framework's shared
    /// (precompiled) code, not an instantiation over a struct of ours; one object, a text's one count inline.</summary>
    internal sealed class Entry(ulong counter, byte kind, TextHash hash, int count, int[]? lines, int day) : IEquatable<Entry>
    {
        public ulong Counter { get; set; } = counter;

        public byte Kind { get; set; } = kind;

        public TextHash Hash { get; set; } = hash;

        /// <summary>A text's count (<see cref="Lines"/> is null).</summary>
        public int Count { get; } = count;

        /// <summary>A list's count per line (null for a text).</summary>
        public int[]? Lines { get; } = lines;

        /// <summary>How many counts the file holds for it.</summary>
        public int ValueCount => Lines?.Length ?? 1;

        public int Day { get; set; } = day;

        /// <summary>The tick of its last lookup or addition in this process (not stored).</summary>
        public long Used { get; set; }

        public bool Equals(Entry? other) =>
            other is not null && other.Counter == Counter && other.Kind == Kind && other.Hash.Lower == Hash.Lower && other.Hash.Upper == Hash.Upper;

        public override bool Equals(object? obj) => Equals(obj as Entry);

        public override int GetHashCode() => (int)Hash.Lower ^ (int)(Hash.Lower >> 32) ^ (int)Counter ^ Kind;
    }
}
