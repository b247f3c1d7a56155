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
/// under its size cap by dropping the entries used least recently (by day). It is a cache: a missing, truncated,
/// corrupted (checksum) or foreign file is read as empty and a failed write is ignored, so the counts never change,
/// only the time they take. Thread-safe.
/// </summary>
internal sealed class TokenCountCache
{
    /// <summary>The file name under the context index folder.</summary>
    public const string FileName = "tokens.ctxtok";

    /// <summary>The default size cap of the file.</summary>
    public const long DefaultMaxBytes = 16L * 1024 * 1024;

    /// <summary>The least time between two writes of one process (the last one is written when it exits).</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(2);

    private const ulong Magic = 0x3130_4B4F_5443_5353; // "SSCTOK01", little-endian
    private const int HeaderBytes = 12, EntryHeaderBytes = 8 + 1 + 16 + 4 + 4, TrailerBytes = 8;
    private const byte TextKind = 0, LinesKind = 1;
    private const int WriteBufferBytes = 16 * 1024;

    private static readonly ConcurrentDictionary<string, TokenCountCache> Shared = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    // One object per entry (its key, counts and day; a text's one count inline), in a set by key: a run of thousands of
    // specs adds ~4 entries a spec and keeps them (the next run's counts), so their size is the run's growth.
    private HashSet<Entry>? _entries;
    // The key looked up (under _gate), so a lookup allocates nothing.
    private readonly Entry _probe = new(0, TextKind, default, 0, null, 0);
    private bool _dirty, _exitHooked;
    private long _lastSave;
    private Index.FileSignature? _written;

    /// <summary>A cache kept in the file <paramref name="path"/>, at most <paramref name="maxBytes"/> long.</summary>
    public TokenCountCache(string path, TimeProvider? time = null, long maxBytes = DefaultMaxBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        FilePath = Path.GetFullPath(path);
        MaxBytes = maxBytes;
        _time = time ?? Hosting.CompositionRoot.SystemClock;
    }

    /// <summary>The cache file.</summary>
    public string FilePath { get; }

    /// <summary>The size cap of the file.</summary>
    public long MaxBytes { get; }

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
    /// <see cref="SaveInterval"/> ago (or <paramref name="force"/>). Never throws for file-system problems.</summary>
    public void Flush(bool force = false)
    {
        lock (_gate)
        {
            if (!_dirty || _entries is null || (!force && _lastSave != 0 && _time.GetElapsedTime(_lastSave) < SaveInterval))
            {
                return;
            }
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
    }

    /// <summary>The entry of the key, its day brought to today; under <see cref="_gate"/>.</summary>
    private Entry? Find(ulong counter, byte kind, TextHash hash)
    {
        var entries = _entries ??= Read(FilePath);
        _probe.Counter = counter;
        _probe.Kind = kind;
        _probe.Hash = hash;
        if (!entries.TryGetValue(_probe, out var entry))
        {
            _misses++;
            return null;
        }
        _hits++;
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
            var entries = _entries ??= Read(FilePath);
            entry.Day = Today();
            if (!entries.Add(entry))
            {
                entries.Remove(entry);
                entries.Add(entry);
            }
            MarkDirty();
        }
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
                Write(stream, kept ?? (IReadOnlyCollection<Entry>)merged);
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

    /// <summary>Writes the file's bytes for <paramref name="entries"/> to <paramref name="stream"/>: the header, the entries
    /// and the checksum of both, through one small buffer.</summary>
    private static void Write(Stream stream, IReadOnlyCollection<Entry> entries)
    {
        var buffer = new byte[WriteBufferBytes];
        var checksum = new Index.IndexChecksum();
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(8), entries.Count);
        var at = HeaderBytes;
        foreach (var entry in entries)
        {
            if (buffer.Length - at < EntryHeaderBytes)
            {
                at = Drain(stream, checksum, buffer, at);
            }
            var span = buffer.AsSpan(at);
            BinaryPrimitives.WriteUInt64LittleEndian(span, entry.Counter);
            span[8] = entry.Kind;
            BinaryPrimitives.WriteUInt64LittleEndian(span[9..], entry.Hash.Lower);
            BinaryPrimitives.WriteUInt64LittleEndian(span[17..], entry.Hash.Upper);
            BinaryPrimitives.WriteInt32LittleEndian(span[25..], entry.Day);
            BinaryPrimitives.WriteInt32LittleEndian(span[29..], entry.ValueCount);
            at += EntryHeaderBytes;
            if (entry.Lines is null)
            {
                if (buffer.Length - at < 4)
                {
                    at = Drain(stream, checksum, buffer, at);
                }
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), entry.Count);
                at += 4;
                continue;
            }
            foreach (var value in entry.Lines)
            {
                if (buffer.Length - at < 4)
                {
                    at = Drain(stream, checksum, buffer, at);
                }
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), value);
                at += 4;
            }
        }
        if (buffer.Length - at < TrailerBytes)
        {
            at = Drain(stream, checksum, buffer, at);
        }
        checksum.Append(buffer.AsSpan(0, at));
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(at), checksum.Finish());
        stream.Write(buffer, 0, at + TrailerBytes);
    }

    /// <summary>Adds the buffer's first <paramref name="count"/> bytes to the checksum and writes them; the buffer is empty after.</summary>
    private static int Drain(Stream stream, Index.IndexChecksum checksum, byte[] buffer, int count)
    {
        checksum.Append(buffer.AsSpan(0, count));
        stream.Write(buffer, 0, count);
        return 0;
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

        public bool Equals(Entry? other) =>
            other is not null && other.Counter == Counter && other.Kind == Kind && other.Hash.Lower == Hash.Lower && other.Hash.Upper == Hash.Upper;

        public override bool Equals(object? obj) => Equals(obj as Entry);

        public override int GetHashCode() => (int)Hash.Lower ^ (int)(Hash.Lower >> 32) ^ (int)Counter ^ Kind;
    }
}
