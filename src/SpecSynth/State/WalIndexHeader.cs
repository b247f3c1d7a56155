using System.IO.MemoryMappedFiles;

namespace SpecSynth.State;

/// <summary>
/// Reads a WAL database's wal-index header, the first 48 bytes of its <c>-shm</c> file that every connection to the file,
/// of any process, maps and that every commit rewrites (https://www.sqlite.org/walformat.html, "The WAL-Index Header"):
/// <c>iChange</c> (bytes 8-11) counts the commits, and <c>mxFrame</c>, the salts and the checksum change with every commit
/// and every restart of the log. Comparing two reads tells, without a system call, a lock or a read transaction, whether
/// anyone committed in between (issue 19). Its first copy is read as SQLite writes it last; a read while a commit writes it
/// may mix the old and the new header, which compares unequal to both. Open with <see cref="TryOpen"/>; thread-safe;
/// a read after <see cref="Dispose"/> fails (<see cref="TryRead"/> returns <c>false</c>).
/// </summary>
internal sealed class WalIndexHeader : IDisposable
{
    /// <summary>The header's size: <c>iVersion</c>, unused, <c>iChange</c>, <c>isInit</c>, byte order, page size,
    /// <c>mxFrame</c>, <c>nPage</c>, the last frame's checksum, the salts and the header's checksum.</summary>
    private const int Bytes = 48;

    /// <summary><c>iVersion</c> of the wal-index format SQLite has written since 3.7.0.</summary>
    private const uint Version = 3007000;

    /// <summary>The process's mappings by full <c>-shm</c> path, under <see cref="MappingsGate"/>. POSIX record locks belong
    /// to the process: closing any descriptor of a file drops every lock the process holds on it, SQLite's included (its
    /// read lock on the shared memory's DMS byte for as long as a connection is open, its read marks during reads;
    /// https://www.sqlite.org/howtocorrupt.html, 2.2). So one descriptor per file is shared by every user in the process
    /// and closed only when the last one is done (after its connections are closed), and a descriptor that turned out
    /// unusable is never closed.</summary>
    private static readonly Dictionary<string, Mapping> Mappings = new(StringComparer.Ordinal);

    private static readonly Lock MappingsGate = new();

    private readonly string _shm;
    private readonly Mapping _mapping;
    private int _disposed;

    private WalIndexHeader(string shm, Mapping mapping)
    {
        _shm = shm;
        _mapping = mapping;
    }

    /// <summary>Maps the <c>-shm</c> file of the open WAL database <paramref name="databasePath"/> (read only, one mapping
    /// per file shared by the process), or returns <c>null</c> when it cannot be mapped or holds no header of the known
    /// format (another journal mode, a different shared-memory layout): the caller then does without. Dispose the header
    /// only after closing the connections it was opened beside.</summary>
    public static WalIndexHeader? TryOpen(string databasePath)
    {
        string shm;
        try
        {
            shm = System.IO.Path.GetFullPath(databasePath + "-shm");
            // Sized without a descriptor: a descriptor opened here could never be closed safely.
            if (!File.Exists(shm) || new FileInfo(shm).Length < Bytes)
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
        lock (MappingsGate)
        {
            if (!Mappings.TryGetValue(shm, out var mapping))
            {
                mapping = Mapping.Open(shm);
                Mappings.Add(shm, mapping);
            }
            if (mapping.View is null)
            {
                if (mapping.Users == 0 && !mapping.Pinned)
                {
                    Mappings.Remove(shm); // nothing was opened: ask again next time
                }
                return null;
            }
            mapping.Users++;
            return new WalIndexHeader(shm, mapping);
        }
    }

    /// <summary>Reads the header now (<c>false</c> once disposed).</summary>
    public bool TryRead(out Snapshot header)
    {
        try
        {
            // As SQLite's own readers: a barrier before the shared memory is read.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _disposed) != 0 || _mapping.View is not { } view)
            {
                header = default;
                return false;
            }
            header = new Snapshot(view.ReadInt64(0), view.ReadInt64(8), view.ReadInt64(16), view.ReadInt64(24),
                view.ReadInt64(32), view.ReadInt64(40));
            return true;
        }
        catch (ObjectDisposedException)
        {
            header = default;
            return false;
        }
    }

    /// <summary>Stops using the mapping; the last user of the file in the process unmaps it and closes its descriptor.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        lock (MappingsGate)
        {
            if (--_mapping.Users == 0)
            {
                Mappings.Remove(_shm);
                _mapping.Close();
            }
        }
    }

    /// <summary>One <c>-shm</c> file's descriptor and mapping in this process, with its users (under
    /// <see cref="MappingsGate"/>). <see cref="View"/> is <c>null</c> when the file could not be mapped or holds no
    /// header of the known format; <see cref="Pinned"/>: a descriptor was opened then, and stays open for good.</summary>
    private sealed class Mapping
    {
        private FileStream? _file;
        private MemoryMappedFile? _map;

        public MemoryMappedViewAccessor? View { get; private set; }

        public int Users { get; set; }

        public bool Pinned { get; private set; }

        public static Mapping Open(string shm)
        {
            var mapping = new Mapping();
            try
            {
                mapping._file = new FileStream(shm, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return mapping;
            }
            // From here on a failure keeps the descriptor open and referenced by this mapping, which stays in Mappings.
            mapping.Pinned = true;
            try
            {
                mapping._map = MemoryMappedFile.CreateFromFile(mapping._file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
                var view = mapping._map.CreateViewAccessor(0, Bytes, MemoryMappedFileAccess.Read);
                if (view.ReadUInt32(0) != Version || view.ReadByte(12) != 1)
                {
                    view.Dispose(); // an unmap, not a close: the locks stay
                    return mapping;
                }
                mapping.View = view;
                mapping.Pinned = false;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
            }
            return mapping;
        }

        public void Close()
        {
            View?.Dispose();
            _map?.Dispose();
            _file?.Dispose();
        }
    }

    /// <summary>The 48 bytes of a header read, as six words; equal snapshots mean no commit in between.</summary>
    internal readonly record struct Snapshot(long W0, long W1, long W2, long W3, long W4, long W5)
    {
        /// <summary>The commit counter (<c>iChange</c>, bytes 8-11 in the machine's byte order).</summary>
        public uint Commits => BitConverter.IsLittleEndian ? (uint)W1 : (uint)((ulong)W1 >> 32);
    }
}
