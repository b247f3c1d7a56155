using System.Diagnostics;

namespace SpecSynth.State;

/// <summary>
/// Diagnostics of the state's background work (issue 19): who hears the intervals of the response cache's staged commits,
/// the log checkpoints and the group commits (ledger rows, audit lines), as <see cref="Stopwatch"/> timestamps, to tell
/// which of them the slowest requests overlapped (OverheadBench <c>--tail</c>). Off unless <see cref="Observer"/> is set:
/// a timed piece of work then costs one static read.
/// </summary>
internal static class BackgroundWork
{
    private static Action<string, long, long>? s_observer;

    /// <summary>Hears each interval: what ran, its start and end timestamps (on the thread that ran it).</summary>
    public static Action<string, long, long>? Observer
    {
        get => Volatile.Read(ref s_observer);
        set => Volatile.Write(ref s_observer, value);
    }

    /// <summary>The start of a piece of work: a timestamp while someone listens, else 0.</summary>
    public static long Start() => Observer is null ? 0 : Stopwatch.GetTimestamp();

    /// <summary>The end of the work started at <paramref name="start"/> (<see cref="Start"/>): told to the observer.</summary>
    public static void End(string kind, long start)
    {
        if (start != 0 && Observer is { } observer)
        {
            observer(kind, start, Stopwatch.GetTimestamp());
        }
    }
}
