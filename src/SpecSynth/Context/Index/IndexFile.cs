using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace SpecSynth.Context.Index;

/// <summary>
/// One project's context index on disk: a table of files (path, how its content is known — a
/// <see cref="FileSignature"/>, or the hash of the scan's redacted text — and where its <see cref="FileRecord"/> blob
/// is) followed by the blobs and an XXH3 checksum of everything. Read whole and validated (a truncated, altered or
/// foreign file is refused: the caller scans instead); written to a temporary file and renamed over the old one, so a
/// reader sees the old index or the new one, never a mix.
/// </summary>
internal sealed class IndexFile
{
    /// <summary>The file's extension.</summary>
    public const string Extension = ".ctxidx";

    private const uint Magic = 0x58435353; // "SSCX"
    private const int Version = 1;

    private readonly byte[] _data;
    private readonly Dictionary<string, int> _byPath;
    private readonly Dictionary<string, int> _byPathContent;

    private IndexFile(byte[] data, List<Entry> entries, string root, long writtenNs)
    {
        _data = data;
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

    /// <summary>The record blob of entry <paramref name="entry"/>.</summary>
    public ReadOnlyMemory<byte> Blob(int entry) => _data.AsMemory(Entries[entry].Offset, Entries[entry].Length);

    /// <summary>The index at <paramref name="path"/>, or <c>null</c> when it is missing, unreadable, truncated, altered or not an index.</summary>
    public static IndexFile? TryLoad(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        try
        {
            return Parse(data);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or IndexOutOfRangeException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static IndexFile? Parse(byte[] data)
    {
        if (data.Length < 32 || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic || BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4)) != Version
            || XxHash3.HashToUInt64(data.AsSpan(0, data.Length - 8)) != BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(data.Length - 8)))
        {
            return null;
        }
        var span = data.AsSpan(0, data.Length - 8);
        var writtenNs = BinaryPrimitives.ReadInt64LittleEndian(span[8..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        var at = 20;
        var root = ReadString(span, ref at);
        if (count < 0 || count > span.Length / 38)
        {
            return null;
        }
        var entries = new List<Entry>(count);
        var lengths = new int[count];
        for (var i = 0; i < count; i++)
        {
            var path = ReadString(span, ref at);
            var row = span.Slice(at, 37);
            var signature = new FileSignature(BinaryPrimitives.ReadInt64LittleEndian(row[1..]), BinaryPrimitives.ReadInt64LittleEndian(row[9..]),
                BinaryPrimitives.ReadInt64LittleEndian(row[17..]), BinaryPrimitives.ReadUInt64LittleEndian(row[25..]));
            lengths[i] = BinaryPrimitives.ReadInt32LittleEndian(row[33..]);
            entries.Add(new Entry(path, row[0] != 0, signature, 0, lengths[i]));
            at += 37;
        }
        for (var i = 0; i < count; i++)
        {
            if (lengths[i] < FileRecord.HeaderBytes || at + (long)lengths[i] > span.Length)
            {
                return null;
            }
            entries[i] = entries[i] with { Offset = at };
            at += lengths[i];
        }
        return at == span.Length ? new IndexFile(data, entries, root, writtenNs) : null;
    }

    private static string ReadString(ReadOnlySpan<byte> span, ref int at)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
        var text = Encoding.UTF8.GetString(span.Slice(at + 2, length));
        at += 2 + length;
        return text;
    }

    /// <summary>Writes an index of <paramref name="entries"/> for the project <paramref name="root"/> at
    /// <paramref name="path"/> (atomically), leaving out the records of files changed less than <paramref name="racy"/>
    /// before now (by the file system's clock): they may change again without a new signature.</summary>
    /// <returns>The number of entries written.</returns>
    public static int Write(string path, string root, IReadOnlyList<(string Path, bool Content, FileSignature Signature, ReadOnlyMemory<byte> Blob)> entries,
        TimeSpan racy, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            int written;
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                // The new file's own time is "now" by the file system's clock, the clock the files' times come from.
                var now = FileSignature.Of(temp)?.ModifiedNs ?? 0;
                var kept = entries.Where(e => e.Content || e.Signature.LatestNs < now - (racy.Ticks * 100)).ToList();
                written = kept.Count;
                var hash = new XxHash3();
                var table = new ArrayBufferWriter<byte>(1 << 20);
                var header = table.GetSpan(20);
                BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
                BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
                BinaryPrimitives.WriteInt64LittleEndian(header[8..], now);
                BinaryPrimitives.WriteInt32LittleEndian(header[16..], kept.Count);
                table.Advance(20);
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
                    BinaryPrimitives.WriteInt32LittleEndian(row[33..], entry.Blob.Length);
                    table.Advance(37);
                }
                hash.Append(table.WrittenSpan);
                stream.Write(table.WrittenSpan);
                foreach (var entry in kept)
                {
                    ct.ThrowIfCancellationRequested();
                    hash.Append(entry.Blob.Span);
                    stream.Write(entry.Blob.Span);
                }
                Span<byte> trailer = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(trailer, hash.GetCurrentHashAsUInt64());
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
    internal readonly record struct Entry(string Path, bool Content, FileSignature Signature, int Offset, int Length);
}
