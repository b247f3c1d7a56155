using System.Security.Cryptography;

namespace SpecSynth.Output;

/// <summary>
/// What specsynth last wrote in one output folder: for each path, the SHA-256 the newest committed write journal run
/// recorded. A file whose bytes differ from it was changed by someone else since ("had local edits").
/// </summary>
internal sealed class WrittenHashes
{
    // Each hash as its 32 bytes (56 bytes on the heap, not a 64-character string's ~150): a run of thousands of specs
    // records one a written file and keeps them to its end. A recorded hash that is not 64 lowercase hex digits (which
    // no SHA-256 of ours spells) is kept as it was, beside them, with no bytes: it never matches, as its string never did.
    private readonly Dictionary<string, byte[]> _hashes;
    private readonly Dictionary<string, string>? _odd;

    private WrittenHashes(Dictionary<string, byte[]> hashes, Dictionary<string, string>? odd) => (_hashes, _odd) = (hashes, odd);

    /// <summary>The hashes recorded for <paramref name="outputRoot"/>.</summary>
    /// <param name="outputRoot">The output folder (as given, or with links resolved).</param>
    /// <param name="journal">Every recorded write run, newest first (<see cref="WriteJournal.ListAsync"/>).</param>
    public static WrittenHashes For(string outputRoot, IReadOnlyList<JournalRun> journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var full = PathGuard.FullRoot(outputRoot);
        var roots = new HashSet<string>(RealPath.Comparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase)
        {
            full,
            PathGuard.RealRoot(full),
        };
        var hashes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        Dictionary<string, string>? odd = null;
        foreach (var run in journal.Where(r => r.Status == JournalRunStatus.Committed && roots.Contains(PathGuard.FullRoot(r.OutputRoot))))
        {
            foreach (var file in run.Files)
            {
                if (hashes.ContainsKey(file.Path))
                {
                    continue;
                }
                var bytes = Bytes(file.Sha256);
                hashes.Add(file.Path, bytes);
                if (bytes.Length == 0)
                {
                    (odd ??= new(StringComparer.Ordinal))[file.Path] = file.Sha256;
                }
            }
        }
        return new WrittenHashes(hashes, odd);
    }

    /// <summary>The hash specsynth last wrote at <paramref name="path"/> (output-relative, <c>/</c>), or <c>null</c>.</summary>
    public string? this[string path] =>
        !_hashes.TryGetValue(path, out var hash) ? null : hash.Length != 0 ? Convert.ToHexStringLower(hash) : _odd![path];

    /// <summary>Whether specsynth wrote <paramref name="path"/> (output-relative, <c>/</c>) in a recorded run or this one.</summary>
    public bool Contains(string path) => _hashes.ContainsKey(path);

    /// <summary>Records a write of this run (so a later spec of the run does not take it for a local edit).</summary>
    public void Record(string path, ReadOnlySpan<byte> bytes)
    {
        _hashes[path] = SHA256.HashData(bytes);
        _odd?.Remove(path);
    }

    /// <summary>Whether <paramref name="current"/> (the bytes at <paramref name="path"/> now) differ from what specsynth
    /// last wrote there. A file specsynth never wrote, or one that no longer exists, has no local edits.</summary>
    public bool Edited(string path, ReadOnlySpan<byte> current)
    {
        if (!_hashes.TryGetValue(path, out var recorded))
        {
            return false;
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(current, hash);
        return !hash.SequenceEqual(recorded);
    }

    /// <summary>A journal's hash as bytes: 64 lowercase hex digits, else none (never equal to a SHA-256).</summary>
    private static byte[] Bytes(string hex)
    {
        if (hex.Length != SHA256.HashSizeInBytes * 2 || hex.AsSpan().ContainsAnyExcept(LowerHex))
        {
            return [];
        }
        return Convert.FromHexString(hex);
    }

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
}
