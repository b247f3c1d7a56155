using System.Buffers.Binary;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// One process's append-only file of the counts it adds to a <see cref="TokenCountCache"/>
/// (<c>tokens.ctxtok.&lt;id&gt;.journal</c> beside the cache file): made under a temporary name, opened sharing reads only
/// (a shared advisory <c>flock</c> on Unix) and only then given its name, and held so until the process closes it. Other
/// processes read it (<see cref="TryRead"/>: a shared lock too), so what a running process added is found at once; one
/// that can lock it exclusively (<see cref="TryTakeDead"/>) knows its writer is gone and may merge it into the cache file
/// and delete it. A killed process's journal is merged by the next process that writes the cache file.
/// </summary>
internal sealed class TokenCountJournal : IDisposable
{
    /// <summary>What a journal's name adds to the cache file's, after its id.</summary>
    public const string Suffix = ".journal";

    private static readonly FileStreamOptions CreateOptions = OperatingSystem.IsWindows()
        ? new() { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.Read | FileShare.Delete, BufferSize = 0 }
        : new() { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.Read, BufferSize = 0, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };

    private readonly FileStream _file;

    private TokenCountJournal(string path, FileStream file)
    {
        Path = path;
        _file = file;
    }

    /// <summary>The journal's path.</summary>
    public string Path { get; }

    /// <summary>Its length in bytes.</summary>
    public long Length => _file.Length;

    /// <summary>A new, locked, empty journal for the cache file <paramref name="cachePath"/>.</summary>
    public static TokenCountJournal Create(string cachePath)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(cachePath)!);
        var id = Guid.NewGuid().ToString("N");
        var temp = cachePath + "." + id + ".tmp";
        var path = cachePath + "." + id + Suffix;
        var file = new FileStream(temp, CreateOptions);
        try
        {
            Span<byte> magic = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(magic, TokenCountFile.JournalMagic);
            file.Write(magic);
            // Named only once locked: a process that finds it can lock it only after this one has let it go.
            File.Move(temp, path);
            return new TokenCountJournal(path, file);
        }
        catch
        {
            file.Dispose();
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The journals of the cache file <paramref name="cachePath"/> now on disk.</summary>
    public static string[] Find(string cachePath)
    {
        try
        {
            return Directory.GetFiles(System.IO.Path.GetDirectoryName(cachePath)!, System.IO.Path.GetFileName(cachePath) + ".*" + Suffix);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The bytes of the journal at <paramref name="path"/> (its writer may still be adding to it: a torn last batch
    /// is not read), or <c>null</c> when it cannot be read (gone, or being merged).</summary>
    public static byte[]? TryRead(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            var bytes = new byte[file.Length];
            file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            return bytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The bytes of the journal at <paramref name="path"/> and its lock, or <c>null</c> when its writer still holds it
    /// (or it is gone): the caller disposes the lock when done, after deleting the file if it merged it.</summary>
    public static (FileStream Lock, byte[] Bytes)? TryTakeDead(string path)
    {
        FileStream? file = null;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1);
            var bytes = new byte[file.Length];
            file.ReadExactly(bytes);
            return (file, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            return null;
        }
    }

    /// <summary>Appends a batch of the slots <paramref name="slots"/>[0..<paramref name="count"/>] of <paramref name="table"/>.</summary>
    public void Append(TokenCountTable table, int[] slots, int count)
    {
        _file.Seek(0, SeekOrigin.End);
        TokenCountFile.WriteBatch(_file, table, slots, count);
    }

    /// <summary>Everything written to it.</summary>
    public byte[] ReadAll()
    {
        var bytes = new byte[_file.Length];
        _file.Seek(0, SeekOrigin.Begin);
        _file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Deletes it (its batches are in the cache file) and lets it go.</summary>
    public void Delete()
    {
        _file.Dispose();
        TryDelete(Path);
    }

    /// <summary>Lets it go, kept on disk (the next process that writes the cache file merges it).</summary>
    public void Dispose() => _file.Dispose();

    /// <summary>Deletes a file, ignoring file-system problems.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for a later clean-up.
        }
    }
}
