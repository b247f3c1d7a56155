using System.Reflection;
using System.Runtime.InteropServices;
using Markdig;
using SpecSynth.Context.Index;
using YamlDotNet.RepresentationModel;

namespace SpecSynth.Specs;

/// <summary>
/// A spec file's parse remembered across processes (issue 19, warm <c>specsynth context</c>): the first parse of a process
/// costs 70-90 ms of CPU, nearly all first-use work (tech inference's run-time regexes, the front matter, Markdig, the
/// checks), on the warm run's critical path; reading it back costs a file read and a hash. One file per spec path in
/// <c>&lt;state&gt;/context-index/specs/</c>, keyed by the spec's current text, its path and the parser's identity (the
/// modules of this library, Markdig and YamlDotNet): an edited spec, another build or another Markdig parses as before
/// and rewrites the file. The text is always the file's current text, read and checked as <see cref="SpecParser"/> reads
/// it, and everything made of it (the prompt's spec, requirements and title) is redacted later as for a fresh parse; the
/// memo stores the spec's strings as places in that text wherever they occur in it (see <see cref="SpecificationCodec"/>).
/// It is a cache: a missing, truncated, corrupted or foreign file, a file of another format, or a failed read or write
/// only means a parse, never another result; files are written owner-only, through a temporary file and a rename, so a
/// concurrent reader sees a whole old or new file; at most <see cref="MaxFiles"/> are kept (the least recently written go).
/// </summary>
internal static class SpecMemo
{
    /// <summary>The folder's name under the context index folder.</summary>
    public const string FolderName = "specs";

    /// <summary>The memo files' extension.</summary>
    public const string Extension = ".ctxspec";

    /// <summary>The most memo files kept in the folder.</summary>
    public const int MaxFiles = 256;

    /// <summary>The longest spec text (in UTF-16 characters) remembered: writing a memo looks for each of the spec's strings in
    /// its text, and a longer spec's parse is mostly its own work, not first-use costs.</summary>
    public const int MaxTextLength = 256 * 1024;

    // A memo of a spec within MaxTextLength is smaller than this: a larger file is not one.
    private const int MaxBytes = 4 * 1024 * 1024;

    private static readonly FileStreamOptions CreateOptions = OperatingSystem.IsWindows()
        ? new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 }
        : new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };

    /// <summary>The memo folder of the state folder <paramref name="stateDir"/>.</summary>
    public static string Folder(string stateDir) =>
        Path.Combine(stateDir, ContextIndexOptions.FolderName, FolderName);

    /// <summary>
    /// Reads and parses the spec file <paramref name="path"/> as <see cref="SpecParser.ParseFile"/> does (same result, same
    /// errors), answered from its memo in <paramref name="folder"/> when the memo is for the same text; without a folder
    /// (<c>[context] index = false</c>) or for a spec longer than <see cref="MaxTextLength"/>, just the parse. Synchronous: a
    /// spec is one small read, and an async method's state machine is compiled by the JIT in every process.
    /// </summary>
    public static Specification ParseFile(string path, string? folder, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var read = SpecInput.ReadFile(path);
        if (folder is null || read.Length > MaxTextLength)
        {
            return SpecParser.Parse(read, path);
        }
        // The text the parse keeps (its own check again, as SpecParser.Parse makes it).
        var text = SpecInput.CheckText(read, path);
        var key = Key(text, path);
        var file = Path.Combine(folder, FileName(path));
        if (TryRead(file, key, text, path) is { } remembered)
        {
            return remembered;
        }
        var parsed = SpecParser.Parse(read, path);
        TryWrite(folder, file, SpecificationCodec.EncodeMemo(parsed, key));
        return parsed;
    }

    /// <summary>The key of a memo: the parser's identity (the modules of this library, Markdig and YamlDotNet), the spec's
    /// path and its text.</summary>
    internal static SpecMemoKey Key(string text, string path)
    {
        var hash = new IndexChecksum();
        Append(hash, typeof(SpecParser).Module);
        Append(hash, typeof(Markdown).Module);
        Append(hash, typeof(YamlStream).Module);
        hash.Append(MemoryMarshal.AsBytes(path.AsSpan()));
        hash.Append([0, 0]);
        hash.Append(MemoryMarshal.AsBytes(text.AsSpan()));
        hash.FinishWide(out var upper, out var lower);
        return new SpecMemoKey(upper, lower);
    }

    private static void Append(IndexChecksum hash, Module module)
    {
        Span<byte> id = stackalloc byte[16];
        module.ModuleVersionId.TryWriteBytes(id);
        hash.Append(id);
    }

    /// <summary>The memo file's name for the spec at <paramref name="path"/>.</summary>
    internal static string FileName(string path) =>
        IndexChecksum.Of(MemoryMarshal.AsBytes(path.AsSpan())).ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + Extension;

    private static Specification? TryRead(string file, SpecMemoKey key, string text, string path)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            var length = stream.Length;
            if (length > MaxBytes)
            {
                return null;
            }
            var data = new byte[length];
            stream.ReadExactly(data);
            return SpecificationCodec.DecodeMemo(data, key, text, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryWrite(string folder, string file, byte[] data)
    {
        if (data.Length > MaxBytes)
        {
            return;
        }
        var temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(folder);
            using (var stream = new FileStream(temp, CreateOptions))
            {
                stream.Write(data);
            }
            File.Move(temp, file, overwrite: true);
            Evict(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // Left behind; a later eviction removes it.
            }
        }
    }

    // The least recently written memos and temporary files left by a failed write go past MaxFiles.
    private static void Evict(string folder)
    {
        var files = new DirectoryInfo(folder).GetFiles();
        if (files.Length <= MaxFiles)
        {
            return;
        }
        Array.Sort(files, (a, b) => b.LastWriteTimeUtc.CompareTo(a.LastWriteTimeUtc) is var c and not 0 ? c : string.CompareOrdinal(a.Name, b.Name));
        foreach (var stale in files.AsSpan(MaxFiles))
        {
            try
            {
                stale.Delete();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another process removed or holds it: the next write tries again.
            }
        }
    }
}
