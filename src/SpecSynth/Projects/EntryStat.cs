using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using SpecSynth.Context.Index;

namespace SpecSynth.Projects;

/// <summary>
/// One <c>statx</c> per walk entry, relative to its folder's open descriptor (the kernel resolves one name, not the whole
/// path, and no full path is built): the entry's <see cref="FileSignature"/> (what the context index keys files by) and
/// its type. Elsewhere than on Linux, or when <c>statx</c> is missing, the same from <see cref="FileInfo"/>.
/// </summary>
internal static partial class EntryStat
{
    /// <summary>No descriptor: the entry is looked up by its full path.</summary>
    public const int NoFolder = -1;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;

    // O_RDONLY | O_NONBLOCK (a folder replaced by a FIFO must not block the walk) | O_CLOEXEC: the same on every Linux architecture.
    private const int OpenFlags = 0x800 | 0x80000;
    private const int TypeMask = 0xF000;
    private const int TypeDirectory = 0x4000;
    private const int TypeLink = 0xA000;

    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>What an entry is.</summary>
    public enum Kind : byte
    {
        /// <summary>A regular file (or anything that is neither a folder nor a link: a FIFO, a socket).</summary>
        File,

        /// <summary>A folder.</summary>
        Directory,

        /// <summary>A symbolic link.</summary>
        Link,
    }

    /// <summary>Opens <paramref name="path"/> for looking up its entries, or <see cref="NoFolder"/> (no <c>statx</c>, or it
    /// cannot be opened: its entries are then looked up by full path).</summary>
    public static int OpenFolder(string path)
    {
        if (_unavailable)
        {
            return NoFolder;
        }
        try
        {
            var fd = Open(path, OpenFlags);
            return fd < 0 ? NoFolder : fd;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
            return NoFolder;
        }
    }

    /// <summary>Closes a descriptor <see cref="OpenFolder"/> returned.</summary>
    public static void CloseFolder(int fd)
    {
        if (fd >= 0)
        {
            _ = Close(fd);
        }
    }

    /// <summary>The signature of the open folder <paramref name="fd"/> itself; <c>null</c> when unknown or not a folder.</summary>
    public static FileSignature? OfFolder(int fd)
    {
        if (fd < 0)
        {
            return null;
        }
        ReadOnlySpan<byte> empty = [0];
        return Statx(fd, ref MemoryMarshal.GetReference(empty), AtEmptyPath | AtSymlinkNoFollow, StatxBasicStats, out var buffer) == 0
            && (buffer.Mode & TypeMask) == TypeDirectory
            ? Signature(in buffer)
            : null;
    }

    /// <summary>The signature and type of entry <paramref name="name"/> of folder <paramref name="fd"/> (or of
    /// <paramref name="folder"/> when <paramref name="fd"/> is <see cref="NoFolder"/>); <c>null</c> when it cannot be read.</summary>
    /// <param name="fd">The folder's descriptor, or <see cref="NoFolder"/>.</param>
    /// <param name="folder">The folder's path.</param>
    /// <param name="name">The entry's name.</param>
    /// <param name="follow">Whether a link is followed (its target's signature and type).</param>
    /// <param name="kind">The entry's type.</param>
    public static FileSignature? Of(int fd, string folder, string name, bool follow, out Kind kind)
    {
        kind = Kind.File;
        if (fd < 0)
        {
            return Fallback(Path.Join(folder, name), follow, out kind);
        }
        var length = Encoding.UTF8.GetMaxByteCount(name.Length) + 1;
        byte[]? rented = null;
        var bytes = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(name, bytes);
            bytes[written] = 0;
            if (Statx(fd, ref MemoryMarshal.GetReference(bytes), follow ? 0 : AtSymlinkNoFollow, StatxBasicStats, out var buffer) != 0)
            {
                return null;
            }
            kind = (buffer.Mode & TypeMask) switch
            {
                TypeDirectory => Kind.Directory,
                TypeLink => Kind.Link,
                _ => Kind.File,
            };
            return Signature(in buffer);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The signature of the file at <paramref name="path"/> (following links), for an ignore file read by path.</summary>
    public static FileSignature? OfPath(string path)
    {
        if (!_unavailable)
        {
            try
            {
                var length = Encoding.UTF8.GetByteCount(path) + 1;
                var bytes = new byte[length];
                Encoding.UTF8.GetBytes(path, bytes);
                return Statx(AtFdCwd, ref bytes[0], 0, StatxBasicStats, out var buffer) == 0 && (buffer.Mode & TypeMask) != TypeDirectory
                    ? Signature(in buffer)
                    : null;
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
            {
                _unavailable = true;
            }
        }
        return Fallback(path, follow: true, out _);
    }

    /// <summary>Sets the modification time of <paramref name="path"/> to now (by the file system's clock); nothing where
    /// that is not available.</summary>
    public static void Touch(string path)
    {
        if (_unavailable)
        {
            return;
        }
        try
        {
            _ = Utimensat(AtFdCwd, path, IntPtr.Zero, 0);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
        }
    }

    private static FileSignature Signature(in StatxBuffer buffer) =>
        new((long)buffer.Size, (buffer.MtimeSec * 1_000_000_000L) + buffer.MtimeNsec, (buffer.CtimeSec * 1_000_000_000L) + buffer.CtimeNsec, buffer.Ino);

    private static FileSignature? Fallback(string path, bool follow, out Kind kind)
    {
        kind = Kind.File;
        try
        {
            var info = new FileInfo(path);
            var attributes = info.Attributes;
            if ((int)attributes == -1)
            {
                return null;
            }
            if ((attributes & FileAttributes.ReparsePoint) != 0 && follow)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !(target.Exists || Directory.Exists(target.FullName)))
                {
                    return null;
                }
                kind = target is FileInfo ? Kind.File : Kind.Directory;
                return Times(target is FileInfo file ? file.Length : 0, target.LastWriteTimeUtc);
            }
            kind = (attributes & FileAttributes.ReparsePoint) != 0 ? Kind.Link
                : (attributes & FileAttributes.Directory) != 0 ? Kind.Directory
                : Kind.File;
            return Times(kind == Kind.Directory ? 0 : info.Length, info.LastWriteTimeUtc);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static FileSignature Times(long size, DateTime modified) => new(size, (modified - DateTime.UnixEpoch).Ticks * 100, 0, 0);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = false)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "utimensat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Utimensat(int dirfd, string path, IntPtr times, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "statx")]
    private static partial int Statx(int dirfd, ref byte path, int flags, uint mask, out StatxBuffer buffer);
}
