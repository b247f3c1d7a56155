namespace SpecSynth.Output;

/// <summary>
/// Checks the output folder before anything is sent to a model, so a folder that can never be written costs nothing:
/// it must not be a file or lie under one, and (when the run writes) its nearest existing folder must accept a new file.
/// </summary>
internal static class OutputFolderCheck
{
    /// <summary>Throws when <paramref name="outputRoot"/> cannot hold the generated files.</summary>
    /// <param name="outputRoot">The output folder, absolute; it may not exist yet (it is created).</param>
    /// <param name="writing">Whether the run writes (a dry run only reads the folder).</param>
    /// <exception cref="SpecSynthException">The folder is a file, lies under a file, or cannot be written
    /// (<see cref="ErrorKind.InvalidInput"/>).</exception>
    public static void Ensure(string outputRoot, bool writing)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        if (File.Exists(outputRoot))
        {
            throw Bad($"The output folder '{outputRoot}' is a file; give a folder with --out (it is created when missing).");
        }
        var existing = Path.TrimEndingDirectorySeparator(outputRoot);
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                throw Bad($"The output folder '{outputRoot}' lies under the file '{existing}'; give a folder with --out.");
            }
            existing = Path.GetDirectoryName(existing) ?? throw Bad($"The output folder '{outputRoot}' has no existing parent folder.");
        }
        if (writing)
        {
            EnsureWritable(outputRoot, existing);
        }
    }

    /// <summary>Creates and deletes a temporary file in <paramref name="folder"/> (permissions, read-only mounts, quotas).</summary>
    private static void EnsureWritable(string outputRoot, string folder)
    {
        var probe = AtomicFile.TempPathFor(Path.Combine(folder, "probe"));
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            AtomicFile.TryDelete(probe);
            var where = folder == Path.TrimEndingDirectorySeparator(outputRoot) ? "" : $" (its nearest existing folder '{folder}' cannot be written)";
            throw Bad($"The output folder '{outputRoot}' is not writable{where}: {ex.Message}. Nothing was sent to the model; " +
                "fix the permissions or give another folder with --out.");
        }
    }

    private static SpecSynthException Bad(string message) => new(ErrorKind.InvalidInput, message);
}
