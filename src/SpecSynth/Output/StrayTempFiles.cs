using System.Diagnostics;

namespace SpecSynth.Output;

/// <summary>
/// Removes the temporary files (<see cref="PathRules.TempPrefix"/>) a writer killed mid-write (SIGKILL, power loss) left
/// beside the files of its pending journal run and in the run's own folder. Runs whose writer is still alive are left
/// alone: their temporary files may be in use.
/// </summary>
internal static class StrayTempFiles
{
    /// <summary>Sweeps the folders of <paramref name="run"/> if it is pending and its writer is gone; returns how many files were removed.</summary>
    public static int Sweep(JournalManifest run, string runFolder)
    {
        if (!run.Status.Equals("pending", StringComparison.OrdinalIgnoreCase) || IsAlive(run.WriterPid))
        {
            return 0;
        }
        var folders = new HashSet<string>(StringComparer.Ordinal) { runFolder, Path.Combine(runFolder, "backup"), run.OutputRoot };
        foreach (var file in run.Files)
        {
            var full = Path.GetFullPath(Path.Combine(run.OutputRoot, file.Path.Replace('/', Path.DirectorySeparatorChar)));
            if (RealPath.IsInside(full, run.OutputRoot) && Path.GetDirectoryName(full) is { } folder)
            {
                folders.Add(folder);
            }
        }
        return folders.Sum(SweepFolder);
    }

    private static int SweepFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        var removed = 0;
        foreach (var temp in Directory.EnumerateFiles(folder, PathRules.TempPrefix + "*"))
        {
            try
            {
                if (new FileInfo(temp).LinkTarget is null)
                {
                    File.Delete(temp);
                    removed++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: a stray that cannot be removed now is tried again by the next run.
            }
        }
        return removed;
    }

    /// <summary>Whether the writer <paramref name="pid"/> is still running (this process counts as alive; no pid as gone).</summary>
    internal static bool IsAlive(int? pid)
    {
        if (pid is not { } id)
        {
            return false;
        }
        if (id == Environment.ProcessId)
        {
            return true;
        }
        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
