using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SpecSynth.Context.Index;

/// <summary>
/// One project's context index on disk: a table of files (path, how its content is known — a
/// <see cref="FileSignature"/>, or the hash of the scan's redacted text — and the length of its <see cref="FileRecord"/>
/// blob) followed by the blobs and a checksum of everything (<see cref="IndexChecksum"/>). Opened with the table only;
/// the blobs are streamed once through a small buffer (<see cref="ReadBlobs"/>: tens of megabytes of fresh memory cost
/// more in page faults than the reading) and validated as they go: a truncated, altered or foreign file is refused and
/// the caller scans instead. Written to a temporary file and renamed over the old one, so a reader sees the old index
/// or the new one, never a mix.
/// </summary>
internal sealed class IndexFile : IDisposable
{
    /// <summary>The file's extension.</summary>
    public const string Extension = ".ctxidx";

    private const uint Magic = 0x58435353; // "SSCX"
    private const int Version = 1;

    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;
    private readonly long _length;
    private readonly IndexChecksum _checksum;
    private readonly Dictionary<string, int> _byPath;
    private readonly Dictionary<string, int> _byPathContent;

    private IndexFile(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length, IndexChecksum checksum, List<Entry> entries, string root, long writtenNs)
    {
        _handle = handle;
        _length = length;
        _checksum = checksum;
        Entries = entries;
        Root = root;
        WrittenNs = writtenNs;
        _byPath = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        _byPathContent = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            (entries[i].Content ? _byPathContent : _byPath)[entries[i].Path] = i;
        }
    }

    /// <summary>Receives one blob of <see cref="ReadBlobs"/>.</summary>
    public delegate void BlobVisitor(int entry, ReadOnlySpan<byte> blob);

    /// <summary>The indexed files.</summary>
    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>The project's real path.</summary>
    public string Root { get; }

    /// <summary>When the index was written, by the file system's clock (nanoseconds since the Unix epoch).</summary>
    public long WrittenNs { get; }

    /// <summary>The entry of <paramref name="path"/> known by <paramref name="signature"/> (by its redacted text's hash
    /// when <paramref name="content"/>), or -1.</summary>
    public int Find(string path, bool content, FileSignature signature) =>
        (content ? _byPathContent : _byPath).TryGetValue(path, out var i) && Entries[i].Signature == signature ? i : -1;

    /// <summary>Copies bytes <c>[start, end)</c> of this file to <paramref name="stream"/> and <paramref name="hash"/>
    /// through <paramref name="buffer"/> (old blobs into a new index).</summary>
    private void Copy(long start, long end, byte[] buffer, Stream stream, IndexChecksum hash)
    {
        while (start < end)
        {
            var read = RandomAccess.Read(_handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - start)), start);
            if (read <= 0)
            {
                throw new IOException("The index changed while it was read.");
            }
            hash.Append(buffer.AsSpan(0, read));
            stream.Write(buffer, 0, read);
            start += read;
        }
    }

    /// <summary>Streams every blob, in order, to <paramref name="visit"/>, then checks the checksum of the whole file.
    /// <c>false</c> when the file is damaged (what <paramref name="visit"/> saw must then be forgotten).</summary>
    public bool ReadBlobs(BlobVisitor visit, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            var position = Entries.Count == 0 ? _length - 8 : Entries[0].Offset;
            var filled = 0;
            var consumed = 0;
            for (var e = 0; e < Entries.Count; e++)
            {
                var length = Entries[e].Length;
                if (filled - consumed < length)
                {
                    ct.ThrowIfCancellationRequested();
                    // Move the rest to the front and fill the buffer (larger when one blob needs it).
                    var rest = filled - consumed;
                    if (buffer.Length < length)
                    {
                        var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
                        buffer.AsSpan(consumed, rest).CopyTo(larger);
                        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    else
                    {
                        buffer.AsSpan(consumed, rest).CopyTo(buffer);
                    }
                    filled = rest;
                    consumed = 0;
                    var wanted = (int)Math.Min(buffer.Length - filled, _length - 8 - position);
                    while (filled < length)
                    {
                        var read = RandomAccess.Read(_handle, buffer.AsSpan(filled, wanted), position);
                        if (read <= 0)
                        {
                            return false;
                        }
                        _checksum.Append(buffer.AsSpan(filled, read));
                        filled += read;
                        position += read;
                        wanted -= read;
                    }
                }
                visit(e, buffer.AsSpan(consumed, length));
                consumed += length;
            }
            if (filled != consumed || position != _length - 8)
            {
                return false;
            }
            Span<byte> trailer = stackalloc byte[8];
            return RandomAccess.Read(_handle, trailer, _length - 8) == 8 && BinaryPrimitives.ReadUInt64LittleEndian(trailer) == _checksum.Finish();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException)
        {
            return false;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>The index at <paramref name="path"/> with its table read, or <c>null</c> when it is missing, unreadable or
    /// not an index (its blobs are checked by <see cref="ReadBlobs"/>).</summary>
    public static IndexFile? TryOpen(string path)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        try
        {
            if (Open(handle) is { } file)
            {
                return file;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or IndexOutOfRangeException or DecoderFallbackException)
        {
        }
        handle.Dispose();
        return null;
    }

    private static IndexFile? Open(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        var length = RandomAccess.GetLength(handle);
        if (length < 32 || length > int.MaxValue)
        {
            return null;
        }
        var head = new byte[24];
        if (RandomAccess.Read(handle, head, 0) != head.Length || BinaryPrimitives.ReadUInt32LittleEndian(head) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(4)) != Version)
        {
            return null;
        }
        var tableLength = BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(20));
        if (tableLength < 24 || tableLength > length - 8)
        {
            return null;
        }
        var table = new byte[tableLength];
        if (RandomAccess.Read(handle, table, 0) != table.Length)
        {
            return null;
        }
        var span = table.AsSpan();
        var writtenNs = BinaryPrimitives.ReadInt64LittleEndian(span[8..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        var at = 24;
        var root = ReadString(span, ref at);
        if (count < 0 || count > tableLength / 39)
        {
            return null;
        }
        var entries = new List<Entry>(count);
        long offset = tableLength;
        for (var i = 0; i < count; i++)
        {
            var path = ReadString(span, ref at);
            var row = span.Slice(at, 37);
            var signature = new FileSignature(BinaryPrimitives.ReadInt64LittleEndian(row[1..]), BinaryPrimitives.ReadInt64LittleEndian(row[9..]),
                BinaryPrimitives.ReadInt64LittleEndian(row[17..]), BinaryPrimitives.ReadUInt64LittleEndian(row[25..]));
            var blobLength = BinaryPrimitives.ReadInt32LittleEndian(row[33..]);
            if (blobLength < FileRecord.HeaderBytes || offset + blobLength > length - 8)
            {
                return null;
            }
            entries.Add(new Entry(path, row[0] != 0, signature, offset, blobLength));
            offset += blobLength;
            at += 37;
        }
        if (at != tableLength || offset != length - 8)
        {
            return null;
        }
        var checksum = new IndexChecksum();
        checksum.Append(table);
        return new IndexFile(handle, length, checksum, entries, root, writtenNs);
    }

    private static string ReadString(ReadOnlySpan<byte> span, ref int at)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
        var text = Encoding.UTF8.GetString(span.Slice(at + 2, length));
        at += 2 + length;
        return text;
    }

    private static readonly FileStreamOptions CreateOptions = OperatingSystem.IsWindows()
        ? new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 }
        : new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };

    /// <summary>Writes an index of <paramref name="entries"/> for the project <paramref name="root"/> at
    /// <paramref name="path"/> (atomically), leaving out the records of files changed less than <paramref name="racy"/>
    /// before now (by the file system's clock): they may change again without a new signature. An entry's blob is its
    /// own, or entry <c>Old</c> of <paramref name="old"/>.</summary>
    /// <returns>The number of entries written.</returns>
    public static int Write(string path, string root, IReadOnlyList<(string Path, bool Content, FileSignature Signature, byte[]? Blob, int Old)> entries,
        IndexFile? old, TimeSpan racy, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            int written;
            // Owner-only, like the keys file: hashes of every word of the project are not for other users to test guesses against.
            using (var stream = new FileStream(temp, CreateOptions))
            {
                // The new file's own time is "now" by the file system's clock, the clock the files' times come from.
                var now = FileSignature.Of(temp)?.ModifiedNs ?? 0;
                var kept = entries.Where(e => e.Content || e.Signature.LatestNs < now - (racy.Ticks * 100)).ToList();
                written = kept.Count;
                var hash = new IndexChecksum();
                var table = new ArrayBufferWriter<byte>(1 << 20);
                table.Advance(24);
                WriteString(table, root);
                foreach (var entry in kept)
                {
                    WriteString(table, entry.Path);
                    var row = table.GetSpan(37);
                    row[0] = entry.Content ? (byte)1 : (byte)0;
                    BinaryPrimitives.WriteInt64LittleEndian(row[1..], entry.Signature.Size);
                    BinaryPrimitives.WriteInt64LittleEndian(row[9..], entry.Signature.ModifiedNs);
                    BinaryPrimitives.WriteInt64LittleEndian(row[17..], entry.Signature.ChangedNs);
                    BinaryPrimitives.WriteUInt64LittleEndian(row[25..], entry.Signature.Inode);
                    BinaryPrimitives.WriteInt32LittleEndian(row[33..], entry.Blob?.Length ?? old!.Entries[entry.Old].Length);
                    table.Advance(37);
                }
                var bytes = table.WrittenSpan.ToArray();
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), Version);
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), now);
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), kept.Count);
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(20), bytes.Length);
                hash.Append(bytes);
                stream.Write(bytes);
                // Old blobs that follow each other in the old file are copied as one run, through one buffer.
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
                try
                {
                    long runStart = 0;
                    long runEnd = 0;
                    foreach (var entry in kept)
                    {
                        ct.ThrowIfCancellationRequested();
                        if (entry.Blob is null && old!.Entries[entry.Old].Offset == runEnd && runEnd > 0)
                        {
                            runEnd += old.Entries[entry.Old].Length;
                            continue;
                        }
                        old?.Copy(runStart, runEnd, buffer, stream, hash);
                        if (entry.Blob is { } blob)
                        {
                            (runStart, runEnd) = (0, 0);
                            hash.Append(blob);
                            stream.Write(blob);
                        }
                        else
                        {
                            runStart = old!.Entries[entry.Old].Offset;
                            runEnd = runStart + old.Entries[entry.Old].Length;
                        }
                    }
                    old?.Copy(runStart, runEnd, buffer, stream, hash);
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
                Span<byte> trailer = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(trailer, hash.Finish());
                stream.Write(trailer);
            }
            File.Move(temp, path, overwrite: true);
            return written;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > ushort.MaxValue)
        {
            throw new InvalidDataException("Path too long for the index.");
        }
        var span = writer.GetSpan(2 + bytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)bytes.Length);
        bytes.CopyTo(span[2..]);
        writer.Advance(2 + bytes.Length);
    }

    /// <summary>One indexed file.</summary>
    /// <param name="Path">Relative path.</param>
    /// <param name="Content">Known by its redacted text's hash (<see cref="FileSignature.Inode"/>) rather than its signature.</param>
    /// <param name="Signature">Its signature when it was scanned.</param>
    /// <param name="Offset">Where its blob starts in the file.</param>
    /// <param name="Length">The blob's length.</param>
    internal readonly record struct Entry(string Path, bool Content, FileSignature Signature, long Offset, int Length);
}
