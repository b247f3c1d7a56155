using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using SpecSynth.Context.Index;

namespace SpecSynth.Projects;

/// <summary>
/// The walk's persistent cache beside the context index (<c>&lt;state&gt;/context-index/&lt;key&gt;.ctxwalk</c>): every
/// folder the last walk listed, with its signature, its whole listing and its ignore files' texts. A later walk lists
/// again only the folders whose signature changed. The key hashes the project's real path and what changes the walk
/// (the file cap, the extra ignore patterns). The file is written owner-only, through a temporary file renamed in place,
/// and checksummed; a missing, truncated or altered file, or two walks at once, change how long a walk takes, never what
/// it finds. The least recently used files go first when they exceed the cap.
/// </summary>
/// <remarks>Layout (little-endian): magic <c>SSWK</c> (u32), version (i32), payload length (i64), payload checksum (u64,
/// <see cref="IndexChecksum"/>), 8 bytes zero; then the payload, written by <see cref="BinaryWriter"/> (strings UTF-8
/// with a 7-bit length): written-at time (i64 ns), real root, options key, folder count (i32), then per folder its prefix, signature (size,
/// mtime ns, ctime ns, inode), item count (i32) and items (flags byte: 1 folder, 2 link, 4 kept by the ignore rules; name), ignore file count
/// (byte) and per ignore file its name, signature and text. The payload starts with the file's own modification time
/// (ns, the file system's clock): a folder or ignore file whose times are within the racy window of it is not trusted.</remarks>
internal static class WalkCache
{
    /// <summary>The cache files' extension.</summary>
    public const string Extension = ".ctxwalk";

    private const uint Magic = 0x4B575353;
    private const int Version = 1;
    private const int HeaderBytes = 32;

    private static readonly FileStreamOptions CreateOptions = OperatingSystem.IsWindows()
        ? new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None }
        : new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };

    /// <summary>What besides the root changes the walk's result.</summary>
    public static string OptionsKey(ProjectScanOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"max-files={options.MaxFiles}\npatterns={string.Join('\u0001', options.IgnorePatterns)}");

    /// <summary>The cache file of the project whose real path is <paramref name="realRoot"/> under <paramref name="folder"/>.</summary>
    public static string PathFor(string folder, string realRoot, string optionsKey)
    {
        var key = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(realRoot + "\0" + optionsKey));
        return Path.Combine(folder, key.ToString("x16", CultureInfo.InvariantCulture) + Extension);
    }

    /// <summary>The folders <paramref name="path"/> holds by prefix, or <c>null</c> when it is missing, damaged or for another
    /// project or options.</summary>
    /// <param name="path">The cache file.</param>
    /// <param name="realRoot">The project's real path.</param>
    /// <param name="optionsKey">What besides the root changes the walk (<see cref="OptionsKey"/>).</param>
    /// <param name="racy">A folder or ignore file changed this close to (or after) the cache's writing, by the file
    /// system's clock, is not trusted: it may have changed again since without a new signature.</param>
    public static Dictionary<string, FolderRecord>? TryLoad(string path, string realRoot, string optionsKey, TimeSpan racy)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (bytes.Length < HeaderBytes || !BitConverter.IsLittleEndian
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) != Version
            || BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)) != bytes.Length - HeaderBytes
            || BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24)) != 0
            || BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)) != IndexChecksum.Of(bytes.AsSpan(HeaderBytes)))
        {
            return null;
        }
        try
        {
            // Read in place (no stream, no reader object): a warm walk parses every folder and entry of the tree.
            var reader = new SpanReader(bytes.AsSpan(HeaderBytes));
            var writtenNs = reader.ReadInt64();
            var trustBefore = writtenNs - (racy.Ticks * 100);
            if (reader.ReadString() != realRoot || reader.ReadString() != optionsKey)
            {
                return null;
            }
            var count = reader.ReadCount();
            var folders = new Dictionary<string, FolderRecord>(count, StringComparer.Ordinal);
            for (var f = 0; f < count; f++)
            {
                var prefix = reader.ReadString();
                var signature = reader.ReadSignature();
                var itemCount = reader.ReadCount();
                var items = new List<WalkItem>(itemCount);
                var kept = new bool[itemCount];
                for (var i = 0; i < itemCount; i++)
                {
                    var flags = reader.ReadByte();
                    kept[i] = (flags & 4) != 0;
                    items.Add(new WalkItem(reader.ReadString(), (flags & 1) != 0, (flags & 2) != 0));
                }
                var ignoreCount = reader.ReadByte();
                var ignores = new IgnoreFileRecord[ignoreCount];
                for (var i = 0; i < ignoreCount; i++)
                {
                    var name = reader.ReadString();
                    var ignoreSignature = reader.ReadSignature();
                    ignores[i] = new IgnoreFileRecord(name, ignoreSignature, ignoreSignature.LatestNs < trustBefore, reader.ReadString());
                }
                folders[prefix] = new FolderRecord(prefix, signature, signature.LatestNs < trustBefore, items, ignores, kept);
            }
            return reader.AtEnd ? folders : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="folders"/> to <paramref name="path"/> (atomically), then deletes the least recently
    /// used cache files beyond <paramref name="maxBytes"/> in all. A cache that cannot be written is only slower next time.</summary>
    public static void Save(string path, string realRoot, string optionsKey, IEnumerable<FolderRecord> folders, long maxBytes)
    {
        var folderPath = Path.GetDirectoryName(path)!;
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(folderPath);
            using (var stream = new FileStream(temp, CreateOptions))
            {
                // The new file's own time is "now" by the file system's clock, the clock the folders' times come from.
                var payload = Payload(EntryStat.OfPath(temp)?.ModifiedNs ?? 0, realRoot, optionsKey, folders);
                var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
                Span<byte> header = stackalloc byte[HeaderBytes];
                header.Clear();
                BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
                BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
                BinaryPrimitives.WriteInt64LittleEndian(header[8..], body.Length);
                BinaryPrimitives.WriteUInt64LittleEndian(header[16..], IndexChecksum.Of(body));
                stream.Write(header);
                stream.Write(body);
            }
            File.Move(temp, path, overwrite: true);
            Evict(folderPath, path, maxBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
        }
    }

    private static MemoryStream Payload(long writtenNs, string realRoot, string optionsKey, IEnumerable<FolderRecord> folders)
    {
        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(writtenNs);
            writer.Write(realRoot);
            writer.Write(optionsKey);
            var sorted = folders.OrderBy(f => f.Prefix, StringComparer.Ordinal).ToList();
            writer.Write(sorted.Count);
            foreach (var folder in sorted)
            {
                writer.Write(folder.Prefix);
                WriteSignature(writer, folder.Signature);
                writer.Write(folder.Items.Count);
                for (var i = 0; i < folder.Items.Count; i++)
                {
                    var item = folder.Items[i];
                    writer.Write((byte)((item.IsDirectory ? 1 : 0) | (item.IsLink ? 2 : 0) | (folder.Kept[i] ? 4 : 0)));
                    writer.Write(item.Name);
                }
                writer.Write((byte)folder.IgnoreFiles.Count);
                foreach (var ignore in folder.IgnoreFiles)
                {
                    writer.Write(ignore.Name);
                    WriteSignature(writer, ignore.Signature);
                    writer.Write(ignore.Text);
                }
            }
        }
        return payload;
    }

    /// <summary>Marks <paramref name="path"/> as used now (the least recently used files go first).</summary>
    public static void Touch(string path) => EntryStat.Touch(path);

    private static void Evict(string folder, string current, long maxBytes)
    {
        long total = 0;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*" + Extension)
            .OrderBy(f => f.FullName == current ? 0 : 1).ThenByDescending(f => f.LastWriteTimeUtc))
        {
            total += file.Length;
            if (total > maxBytes)
            {
                TryDelete(file.FullName);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void WriteSignature(BinaryWriter writer, FileSignature signature)
    {
        writer.Write(signature.Size);
        writer.Write(signature.ModifiedNs);
        writer.Write(signature.ChangedNs);
        writer.Write(signature.Inode);
    }

    /// <summary>Reads what <see cref="BinaryWriter"/> wrote (little-endian numbers, strings as UTF-8 with a 7-bit length)
    /// straight from the bytes; anything that runs past the end or is malformed throws <see cref="InvalidDataException"/>.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;

        public readonly bool AtEnd => _at == _bytes.Length;

        public byte ReadByte() => _at < _bytes.Length ? _bytes[_at++] : throw Past();

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        /// <summary>A count no larger than the bytes left (each counted thing takes at least one byte).</summary>
        public int ReadCount()
        {
            var count = ReadInt32();
            return count < 0 || count > _bytes.Length - _at ? throw new InvalidDataException("A count beyond the file.") : count;
        }

        public string ReadString()
        {
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (shift > 28)
                {
                    throw new InvalidDataException("A string length too long.");
                }
                var b = ReadByte();
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }
            return length == 0 ? "" : Encoding.UTF8.GetString(Take(length));
        }

        public FileSignature ReadSignature() => new(ReadInt64(), ReadInt64(), ReadInt64(), ReadUInt64());

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length < 0 || length > _bytes.Length - _at)
            {
                throw Past();
            }
            var span = _bytes.Slice(_at, length);
            _at += length;
            return span;
        }

        private static InvalidDataException Past() => new("The cache ends early.");
    }
}
