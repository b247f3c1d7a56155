using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SpecSynth.Context.Index;

/// <summary>
/// The posting rows of one table of a segment being built from fresh records, kept as they are found instead of with
/// their records: each worker fills a buffer (<see cref="Rent"/>); a full buffer is split by the key's top
/// <see cref="PartitionBits"/> bits and appended to a temporary file in the index folder (owner-only, deleted when
/// closed, unlinked at once where the system allows); what is left at the end stays in memory. The writer then reads one
/// partition at a time (<see cref="Read"/>): partitions follow key order, so a table is written partition after
/// partition, and only one partition's rows are ever in memory. A spill that cannot be written, or that outgrows
/// <c>maxRows</c> (its segment would not fit the index's size cap), <see cref="Failed"/>: it keeps nothing more and
/// the segment is not written (a cache, only slower next time). Buffers are used by one thread at a time; the rest is
/// thread-safe.
/// </summary>
internal sealed class RowSpill : IDisposable
{
    /// <summary>The key's top bits that choose a partition.</summary>
    public const int PartitionBits = 8;

    /// <summary>The number of partitions.</summary>
    public const int Partitions = 1 << PartitionBits;

    /// <summary>Rows per worker buffer by default (20 bytes each).</summary>
    public const int DefaultBufferRows = ContextIndexOptions.DefaultSpillBufferRows;

    private readonly string _folder;
    private readonly int _bufferRows;
    private readonly long _maxRows;
    private readonly object _gate = new();
    private readonly List<Chunk>[] _chunks = new List<Chunk>[Partitions];
    private readonly Stack<Buffer> _idle = new();
    private readonly List<Buffer> _all = [];
    private FileStream? _file;
    private long _fileLength;
    private long _rows;
    private bool _finished;
    private bool _failed;

    /// <summary>Creates an empty spill.</summary>
    /// <param name="folder">Where its temporary file goes (the index folder).</param>
    /// <param name="maxRows">The most rows kept: past that the spill fails.</param>
    /// <param name="bufferRows">Rows per worker buffer (smaller in tests, to spill often).</param>
    public RowSpill(string folder, long maxRows, int bufferRows = DefaultBufferRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferRows, 1);
        _folder = folder;
        _maxRows = maxRows;
        _bufferRows = bufferRows;
        for (var p = 0; p < Partitions; p++)
        {
            _chunks[p] = [];
        }
    }

    /// <summary>Whether rows were lost (the temporary file could not be written, or there were too many): the segment must not be written.</summary>
    public bool Failed
    {
        get => Volatile.Read(ref _failed);
        private set => Volatile.Write(ref _failed, value);
    }

    /// <summary>Whether any rows went to the temporary file.</summary>
    public bool Spilled => _file is not null;

    /// <summary>Rows kept (spilled, or held once <see cref="Finish"/> ran).</summary>
    public long Rows
    {
        get
        {
            lock (_gate)
            {
                return _rows;
            }
        }
    }

    /// <summary>The partition of <paramref name="key"/>.</summary>
    public static int PartitionOf(ulong key) => (int)(key >> (64 - PartitionBits));

    /// <summary>A buffer for one worker (one left by an earlier worker, with its rows, when there is one); give it back with <see cref="Return"/>.</summary>
    public Buffer Rent()
    {
        lock (_gate)
        {
            if (_idle.TryPop(out var idle))
            {
                return idle;
            }
            var buffer = new Buffer(this, _bufferRows);
            _all.Add(buffer);
            return buffer;
        }
    }

    /// <summary>Gives a buffer back, its rows still in it (the next worker goes on filling it).</summary>
    public void Return(Buffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        lock (_gate)
        {
            _idle.Push(buffer);
        }
    }

    /// <summary>Ends the adding: what the buffers hold is split into partitions and kept in memory.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }
            _finished = true;
            foreach (var buffer in _all)
            {
                _rows += buffer.Count;
                if (_rows > _maxRows && !Failed)
                {
                    Fail();
                }
                if (buffer.Count > 0 && !Failed)
                {
                    var split = new Row[buffer.Count];
                    var starts = Split(buffer.Rows.AsSpan(0, buffer.Count), split);
                    for (var p = 0; p < Partitions; p++)
                    {
                        if (starts[p + 1] > starts[p])
                        {
                            _chunks[p].Add(new Chunk(-1, starts[p + 1] - starts[p], split, starts[p]));
                        }
                    }
                }
                buffer.Release();
            }
            _all.Clear();
            _idle.Clear();
        }
    }

    /// <summary>Every row of partition <paramref name="partition"/>, into <paramref name="rows"/> (grown as needed); returns how many.</summary>
    /// <exception cref="IOException">The temporary file cannot be read back.</exception>
    public int Read(int partition, ref Row[] rows)
    {
        if (!_finished)
        {
            throw new InvalidOperationException("The spill is still being filled.");
        }
        var chunks = _chunks[partition];
        var total = 0;
        foreach (var chunk in chunks)
        {
            total += chunk.Count;
        }
        if (rows.Length < total)
        {
            rows = new Row[Math.Max(total, rows.Length * 2)];
        }
        var at = 0;
        foreach (var chunk in chunks)
        {
            var into = rows.AsSpan(at, chunk.Count);
            if (chunk.Memory is { } memory)
            {
                memory.AsSpan(chunk.MemoryAt, chunk.Count).CopyTo(into);
            }
            else
            {
                ReadExactly(_file!.SafeFileHandle, MemoryMarshal.AsBytes(into), chunk.Offset);
            }
            at += chunk.Count;
        }
        return total;
    }

    /// <summary>Deletes the temporary file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
            foreach (var chunks in _chunks)
            {
                chunks.Clear();
            }
        }
    }

    /// <summary>Appends a full buffer to the temporary file, split by partition.</summary>
    private void Spill(Buffer buffer)
    {
        var rows = buffer.Rows.AsSpan(0, buffer.Count);
        var split = buffer.Scratch;
        var starts = Split(rows, split);
        lock (_gate)
        {
            if (Failed)
            {
                return;
            }
            _rows += rows.Length;
            if (_rows > _maxRows)
            {
                Fail();
                return;
            }
            try
            {
                _file ??= CreateTemp(_folder);
                var bytes = MemoryMarshal.AsBytes(split.AsSpan(0, rows.Length));
                RandomAccess.Write(_file.SafeFileHandle, bytes, _fileLength);
                for (var p = 0; p < Partitions; p++)
                {
                    if (starts[p + 1] > starts[p])
                    {
                        _chunks[p].Add(new Chunk(_fileLength + ((long)starts[p] * RowBytes), starts[p + 1] - starts[p], null, 0));
                    }
                }
                _fileLength += bytes.Length;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Fail();
            }
        }
    }

    private void Fail()
    {
        Failed = true;
        foreach (var chunks in _chunks)
        {
            chunks.Clear();
        }
        _file?.Dispose();
        _file = null;
    }

    /// <summary>Copies <paramref name="rows"/> into <paramref name="into"/> grouped by partition (stable); returns where
    /// each partition starts, and where the last ends.</summary>
    private static int[] Split(ReadOnlySpan<Row> rows, Span<Row> into)
    {
        var starts = new int[Partitions + 1];
        foreach (ref readonly var row in rows)
        {
            starts[PartitionOf(row.Key) + 1]++;
        }
        for (var p = 0; p < Partitions; p++)
        {
            starts[p + 1] += starts[p];
        }
        var cursor = (int[])starts.Clone();
        foreach (ref readonly var row in rows)
        {
            into[cursor[PartitionOf(row.Key)]++] = row;
        }
        return starts;
    }

    /// <summary>A new temporary file in <paramref name="folder"/>: owner-only, deleted when closed (at once where the system allows).</summary>
    internal static FileStream CreateTemp(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"spill.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            // Hashes of every word of the project are not for other users to test guesses against.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        var file = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                File.Delete(path); // still open: nothing is left behind even if the process dies
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
        return file;
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> into, long offset)
    {
        while (!into.IsEmpty)
        {
            var read = RandomAccess.Read(handle, into, offset);
            if (read <= 0)
            {
                throw new IOException("The spill file is shorter than written.");
            }
            into = into[read..];
            offset += read;
        }
    }

    /// <summary>Bytes per row in the temporary file.</summary>
    internal static int RowBytes => Marshal.SizeOf<Row>();

    /// <summary>One posting row: the key, the source it belongs to, and for terms its count and first-occurrence rank.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct Row
    {
        /// <summary>The key (word, declared token or route hash).</summary>
        public ulong Key;

        /// <summary>The source (the writer maps it to its entry).</summary>
        public int Id;

        /// <summary>The count (terms only).</summary>
        public int Count;

        /// <summary>The first-occurrence rank (terms only).</summary>
        public int Rank;
    }

    /// <summary>Where some of a partition's rows are: in the temporary file at <paramref name="Offset"/>, or in <paramref name="Memory"/>.</summary>
    private readonly record struct Chunk(long Offset, int Count, Row[]? Memory, int MemoryAt);

    /// <summary>One worker's rows not yet spilled. Not thread-safe.</summary>
    internal sealed class Buffer
    {
        private readonly RowSpill _owner;
        private readonly int _size;

        internal Buffer(RowSpill owner, int size)
        {
            _owner = owner;
            _size = size;
            Rows = new Row[Math.Min(size, 1024)];
        }

        internal Row[] Rows { get; private set; }

        internal Row[] Scratch { get; private set; } = [];

        internal int Count { get; private set; }

        /// <summary>Keeps one row (nothing once the spill has failed).</summary>
        public void Add(ulong key, int id, int count, int rank)
        {
            if (Count == Rows.Length)
            {
                Full();
            }
            ref var row = ref Rows[Count++];
            row.Key = key;
            row.Id = id;
            row.Count = count;
            row.Rank = rank;
        }

        /// <summary>Grows the buffer up to its size, then spills it.</summary>
        private void Full()
        {
            if (Rows.Length < _size)
            {
                var rows = new Row[Math.Min(_size, Rows.Length * 2)];
                Rows.AsSpan().CopyTo(rows);
                Rows = rows;
                return;
            }
            if (Scratch.Length < Rows.Length)
            {
                Scratch = new Row[Rows.Length];
            }
            _owner.Spill(this);
            Count = 0;
        }

        internal void Release()
        {
            Rows = [];
            Scratch = [];
            Count = 0;
        }
    }
}
