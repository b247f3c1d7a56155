using System.Collections.Concurrent;

namespace SpecSynth.State;

/// <summary>
/// The writers of this process that may hold staged items (<see cref="GroupCommit{T}.TryStage"/>): the process flushes them
/// all when it exits normally (a process killed meanwhile loses only its last <see cref="GroupCommit{T}.StageDelay"/> of
/// items). Thread-safe.
/// </summary>
internal static class StagedCommits
{
    private static readonly ConcurrentDictionary<object, Action> Writers = new(ReferenceEqualityComparer.Instance);
    private static int s_hooked;

    /// <summary>Registers <paramref name="owner"/>'s <paramref name="flush"/> until <see cref="Remove"/>.</summary>
    public static void Add(object owner, Action flush)
    {
        if (Interlocked.Exchange(ref s_hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += static (_, _) => FlushAll();
        }
        Writers[owner] = flush;
    }

    /// <summary>Forgets <paramref name="owner"/> (it flushed).</summary>
    public static void Remove(object owner) => Writers.TryRemove(owner, out _);

    private static void FlushAll()
    {
        foreach (var (_, flush) in Writers)
        {
            try
            {
                flush();
            }
            catch (Exception)
            {
                // Exiting: a writer that cannot write any more loses its staged items, as a killed process would.
            }
        }
    }
}
