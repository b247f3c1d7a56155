using System.Collections.Concurrent;

namespace SpecSynth.State;

/// <summary>
/// The writers of this process that may hold staged items (<see cref="GroupCommit{T}.TryStage"/>), by the file they write:
/// a reader of that file in this process flushes them first (<see cref="Flush(string)"/>), so it never misses a row this
/// process produced, and the process flushes them all when it exits normally (the crash window is only a killed
/// process's last <see cref="GroupCommit{T}.StageDelay"/>). Thread-safe.
/// </summary>
internal static class StagedCommits
{
    private static readonly ConcurrentDictionary<object, (string Path, Action Flush)> Writers = new(ReferenceEqualityComparer.Instance);
    private static int s_hooked;

    /// <summary>Registers <paramref name="owner"/>'s <paramref name="flush"/> for the file at <paramref name="path"/> (a
    /// full path), until <see cref="Remove"/>.</summary>
    public static void Add(object owner, string path, Action flush)
    {
        if (Interlocked.Exchange(ref s_hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += static (_, _) => FlushAll();
        }
        Writers[owner] = (path, flush);
    }

    /// <summary>Forgets <paramref name="owner"/> (it flushed and closed).</summary>
    public static void Remove(object owner) => Writers.TryRemove(owner, out _);

    /// <summary>Flushes every writer of the file at <paramref name="path"/> (a full path) in this process.</summary>
    public static void Flush(string path)
    {
        foreach (var (_, writer) in Writers)
        {
            if (string.Equals(writer.Path, path, StringComparison.Ordinal))
            {
                writer.Flush();
            }
        }
    }

    private static void FlushAll()
    {
        foreach (var (_, writer) in Writers)
        {
            try
            {
                writer.Flush();
            }
            catch (Exception)
            {
                // Exiting: a writer that cannot write any more loses its staged items, as a killed process would.
            }
        }
    }
}
