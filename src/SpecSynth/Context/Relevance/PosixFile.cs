using System.Runtime.InteropServices;
using System.Text;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// Reads a whole small file with the three system calls it needs (<c>open</c>, <c>pread</c>, <c>close</c>) on Linux.
/// <see cref="File.OpenHandle(string, FileMode, FileAccess, FileShare, FileOptions, long)"/> adds two <c>fstat</c>, two
/// <c>flock</c> and a <c>geteuid</c> per file, and the ranker reads 20,000 files whose sizes the walk already has.
/// Anything unexpected (another platform, libc not found, an error, a file larger than the buffer) answers <c>false</c>
/// and the caller reads the file the portable way, which decides what the error means.
/// </summary>
internal static unsafe class PosixFile
{
    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800; // a FIFO fails (pread: ESPIPE) instead of blocking the open
    private const int OpenCloseOnExec = 0x80000;
    private const int MaxPathBytes = 4096;

    private static readonly delegate* unmanaged<byte*, int, int> Open;
    private static readonly delegate* unmanaged<int, byte*, nint, long, nint> PRead;
    private static readonly delegate* unmanaged<int, int> Close;

    static PosixFile()
    {
        // The flag values above are those of Linux on x64 and arm64.
        if (!OperatingSystem.IsLinux()
            || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64)
            || !(NativeLibrary.TryLoad("libc.so.6", out var libc) || NativeLibrary.TryLoad("libc.so", out libc))
            || !NativeLibrary.TryGetExport(libc, "open", out var open)
            || !NativeLibrary.TryGetExport(libc, "pread", out var pread)
            || !NativeLibrary.TryGetExport(libc, "close", out var close))
        {
            return;
        }
        Open = (delegate* unmanaged<byte*, int, int>)open;
        PRead = (delegate* unmanaged<int, byte*, nint, long, nint>)pread;
        Close = (delegate* unmanaged<int, int>)close;
    }

    /// <summary>Whether this platform reads through <see cref="TryRead"/>.</summary>
    public static bool IsAvailable => Open is not null;

    /// <summary>Reads the file at <paramref name="path"/> into <paramref name="buffer"/> up to its end.</summary>
    /// <param name="path">The file's full path.</param>
    /// <param name="expected">Its size as last seen (the walk's): a read that stops short at this size is at the end,
    /// without another call to confirm it.</param>
    /// <param name="buffer">Where to read; longer than <paramref name="expected"/>.</param>
    /// <param name="length">The number of bytes read.</param>
    /// <returns><c>true</c> when the whole file was read; <c>false</c> when it could not be (read it another way).</returns>
    public static bool TryRead(string path, long expected, Span<byte> buffer, out int length)
    {
        length = 0;
        if (!IsAvailable || path.Length > MaxPathBytes / 4 || path.Contains('\0'))
        {
            return false;
        }
        Span<byte> name = stackalloc byte[(path.Length * 3) + 1];
        name[Encoding.UTF8.GetBytes(path, name)] = 0;
        int fd;
        fixed (byte* p = name)
        {
            fd = Open(p, OpenReadOnly | OpenNonBlocking | OpenCloseOnExec);
        }
        if (fd < 0)
        {
            return false;
        }
        var complete = false;
        fixed (byte* b = buffer)
        {
            while (length < buffer.Length)
            {
                var read = PRead(fd, b + length, buffer.Length - length, length);
                if (read < 0)
                {
                    break;
                }
                if (read == 0)
                {
                    complete = true;
                    break;
                }
                length += (int)read;
                if (length == expected && length < buffer.Length)
                {
                    complete = true; // a short read at the size the walk saw: the end
                    break;
                }
            }
        }
        Close(fd);
        return complete;
    }
}
