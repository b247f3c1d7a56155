namespace SpecSynth.Context.Index;

/// <summary>
/// What a ranking reads of a project's index: the base segment and, when it names that base, the delta segment
/// (<see cref="IndexFile.DeltaPathOf"/>) that holds the files changed since the base was written. Entries are numbered
/// base first, then delta; a file's delta entry takes precedence over its (older) base entry. A delta that is missing,
/// damaged or names another base is ignored: its files are read again.
/// </summary>
internal sealed class IndexSnapshot : IDisposable
{
    private IndexSnapshot(IndexFile baseFile, IndexFile? delta)
    {
        Base = baseFile;
        Delta = delta;
    }

    /// <summary>The base segment.</summary>
    public IndexFile Base { get; }

    /// <summary>The delta segment, or <c>null</c>.</summary>
    public IndexFile? Delta { get; }

    /// <summary>The number of entries of both segments.</summary>
    public int Count => Base.EntryArray.Length + (Delta?.EntryArray.Length ?? 0);

    /// <summary>The index whose base segment is at <paramref name="basePath"/>, or <c>null</c> when it is missing or unusable.</summary>
    public static IndexSnapshot? TryOpen(string basePath)
    {
        if (IndexFile.TryOpen(basePath) is not { BaseId: 0 } baseFile)
        {
            return null;
        }
        // Most indexes have no delta: TryOpen answers a missing file with null, without an exception.
        var delta = IndexFile.TryOpen(IndexFile.DeltaPathOf(basePath));
        if (delta is not null && (delta.BaseId != baseFile.Id || delta.Root != baseFile.Root))
        {
            delta.Dispose();
            delta = null;
        }
        return new IndexSnapshot(baseFile, delta);
    }

    /// <summary>The entry of <paramref name="path"/> known by <paramref name="signature"/> (delta first), or -1.</summary>
    public int Find(string path, bool content, FileSignature signature)
    {
        var hints = default(Hints);
        return Find(path, content, signature, ref hints);
    }

    /// <summary><see cref="Find(string, bool, FileSignature)"/> for paths asked for one after another, fastest in ordinal
    /// order (<see cref="IndexFile.Find(string, bool, FileSignature, ref int)"/>); <paramref name="hints"/> starts as <c>default</c>.</summary>
    public int Find(string path, bool content, FileSignature signature, ref Hints hints)
    {
        if (Delta is not null && Delta.Find(path, content, signature, ref hints.Delta) is var d && d >= 0)
        {
            return Base.EntryArray.Length + d;
        }
        return Base.Find(path, content, signature, ref hints.Base);
    }

    /// <summary>The segment and entry of entry <paramref name="id"/>.</summary>
    public (IndexFile File, int Entry) At(int id) => id < Base.EntryArray.Length ? (Base, id) : (Delta!, id - Base.EntryArray.Length);

    /// <summary>Where <see cref="Find(string, bool, FileSignature, ref Hints)"/> looks next in each segment.</summary>
    internal struct Hints
    {
        /// <summary>The next entry of the base segment.</summary>
        public int Base;

        /// <summary>The next entry of the delta segment.</summary>
        public int Delta;
    }

    /// <summary>Closes both segments.</summary>
    public void Dispose()
    {
        Base.Dispose();
        Delta?.Dispose();
    }
}
