namespace SpecSynth.Output;

/// <summary>Replaces a file in one step: temp file in the same folder, flushed to disk, then renamed over.</summary>
internal static class AtomicFile
{
    /// <summary>A fresh temporary path beside <paramref name="path"/> (<c>.specsynth-tmp-&lt;guid&gt;</c>).</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, PathRules.TempPrefix + Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="path"/>: either the whole new content is there
    /// afterwards, or the old file is untouched and no temporary file is left behind. An existing file's
    /// Unix permissions (say, an executable script's) are kept. Other hard links to the old file keep the old content.
    /// </summary>
    /// <param name="path">The target; its folder must exist.</param>
    /// <param name="bytes">The exact bytes to write.</param>
    /// <param name="beforeRename">Called after the temp file is flushed, just before the rename (a test seam).</param>
    public static void Write(string path, ReadOnlySpan<byte> bytes, Action? beforeRename = null)
    {
        var temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows() && File.Exists(path))
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            }
            beforeRename?.Invoke();
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Deletes <paramref name="path"/> if it exists, ignoring failures.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the caller is already reporting a failure.
        }
    }
}
