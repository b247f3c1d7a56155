namespace SpecSynth.Context.Index;

/// <summary>
/// The exclusive lock a background build of one project's index holds (<c>specsynth index</c>): a file beside the index
/// opened with <see cref="FileShare.None"/> (an advisory <c>flock</c> on Unix), so at most one builder per project runs and a
/// ranking that sees it held does not ask for another. The file stays (deleting it would let a second builder lock a new file
/// while the first holds the old one); a killed builder's lock is released with its process.
/// </summary>
internal sealed class IndexBuildLock : IDisposable
{
    /// <summary>What the lock file's name adds to the index file's.</summary>
    public const string Suffix = ".building";

    private readonly FileStream _file;

    private IndexBuildLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of the index at <paramref name="indexPath"/>, or <c>null</c> when another holder has it (or
    /// the folder cannot be written: then no build could write the index either).</summary>
    public static IndexBuildLock? TryTake(string indexPath)
    {
        ArgumentNullException.ThrowIfNull(indexPath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(indexPath)!);
            return new IndexBuildLock(new FileStream(indexPath + Suffix, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether a builder holds the lock of the index at <paramref name="indexPath"/> now.</summary>
    public static bool IsHeld(string indexPath)
    {
        if (!File.Exists(indexPath + Suffix))
        {
            return false;
        }
        using var taken = TryTake(indexPath);
        return taken is null;
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _file.Dispose();
}
