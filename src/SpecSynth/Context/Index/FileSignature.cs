using System.Runtime.InteropServices;
using SpecSynth.Projects;

namespace SpecSynth.Context.Index;

/// <summary>
/// What tells a file's content apart without reading it: size, modification and change times (nanoseconds) and inode,
/// as git's index keeps them. One <c>statx</c> call on Linux; elsewhere size and modification time only.
/// </summary>
/// <param name="Size">Size in bytes.</param>
/// <param name="ModifiedNs">Last write time, nanoseconds since the Unix epoch.</param>
/// <param name="ChangedNs">Last status change time (0 where unknown).</param>
/// <param name="Inode">Inode number (0 where unknown).</param>
internal readonly partial record struct FileSignature(long Size, long ModifiedNs, long ChangedNs, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    private static bool _noStatx = !OperatingSystem.IsLinux();

    /// <summary>The latest of the two times (a file changed at or after a moment is "racy" for an index written then).</summary>
    public long LatestNs => Math.Max(ModifiedNs, ChangedNs);

    /// <summary>The signature of the file at <paramref name="path"/> (not following a link), or <c>null</c> when it cannot be read.</summary>
    public static FileSignature? Of(string path)
    {
        if (!_noStatx)
        {
            try
            {
                if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var buffer) != 0)
                {
                    return null;
                }
                return new FileSignature((long)buffer.Size, (buffer.MtimeSec * 1_000_000_000L) + buffer.MtimeNsec,
                    (buffer.CtimeSec * 1_000_000_000L) + buffer.CtimeNsec, buffer.Ino);
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
            {
                _noStatx = true;
            }
        }
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileSignature(info.Length, (info.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100, 0, 0) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);
}
