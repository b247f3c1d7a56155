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

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;

    private WalIndexHeader(MemoryMappedFile map, MemoryMappedViewAccessor view)
    {
        _map = map;
        _view = view;
    }

    /// <summary>Maps the <c>-shm</c> file of the open WAL database <paramref name="databasePath"/> (read only), or returns
    /// <c>null</c> when it cannot be mapped or holds no header of the known format (another journal mode, a different
    /// shared-memory layout): the caller then does without.</summary>
    public static WalIndexHeader? TryOpen(string databasePath)
    {
        FileStream? file = null;
        MemoryMappedFile? map = null;
        try
        {
            file = new FileStream(databasePath + "-shm", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length < Bytes)
            {
                file.Dispose();
                return null;
            }
            map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, Bytes, MemoryMappedFileAccess.Read);
            var header = new WalIndexHeader(map, view);
            if (view.ReadUInt32(0) != Version || view.ReadByte(12) != 1)
            {
                header.Dispose();
                return null;
            }
            return header;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            if (map is not null)
            {
                map.Dispose();
            }
            else
            {
                file?.Dispose();
            }
            return null;
        }
    }

    /// <summary>Reads the header now (<c>false</c> once disposed).</summary>
    public bool TryRead(out Snapshot header)
    {
        try
        {
            // As SQLite's own readers: a barrier before the shared memory is read.
            Interlocked.MemoryBarrier();
            header = new Snapshot(_view.ReadInt64(0), _view.ReadInt64(8), _view.ReadInt64(16), _view.ReadInt64(24),
                _view.ReadInt64(32), _view.ReadInt64(40));
            return true;
        }
        catch (ObjectDisposedException)
        {
            header = default;
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _view.Dispose();
        _map.Dispose();
    }

    /// <summary>The 48 bytes of a header read, as six words; equal snapshots mean no commit in between.</summary>
    internal readonly record struct Snapshot(long W0, long W1, long W2, long W3, long W4, long W5)
    {
        /// <summary>The commit counter (<c>iChange</c>, bytes 8-11 in the machine's byte order).</summary>
        public uint Commits => BitConverter.IsLittleEndian ? (uint)W1 : (uint)((ulong)W1 >> 32);
    }
}
