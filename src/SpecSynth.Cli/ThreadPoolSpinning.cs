namespace SpecSynth.Cli;

/// <summary>
/// The thread pool's idle workers spin (70 rounds, mostly <c>sched_yield</c>) before they block. In a generate run of several
/// specs, work is handed between threads thousands of times and that spinning cost 3-4 % of the CPU (~100 <c>sched_yield</c>
/// per spec at <c>--concurrency 32</c>); in the parallel walk of a large project (the context commands, a single spec's scan)
/// it pays for itself (blocking cost ~3 % more CPU there). So it is turned off only for a generate run of two or more specs,
/// at the start of the process, before the pool has a worker (docs/benchmarks.md, session 5, helper many).
/// </summary>
internal static class ThreadPoolSpinning
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>Sets the spin limit to 0 for the run <paramref name="args"/> describe when <see cref="Applies"/>; an explicit
    /// setting (runtimeconfig, or <c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit</c>, which the runtime reads first) is kept.</summary>
    public static void ChooseFor(string[] args)
    {
        if (Applies(args) && AppContext.GetData(SpinLimit) is null)
        {
            AppContext.SetData(SpinLimit, "0");
        }
    }

    /// <summary>Whether <paramref name="args"/> are a generate command (after any global options) with two or more markdown
    /// specs (arguments ending in <c>.md</c>; an option's value ending so counts too: a guess that only changes how idle
    /// workers wait).</summary>
    internal static bool Applies(string[] args)
    {
        var at = CommandPosition.Of(args);
        return at < args.Length && args[at] == "generate"
            && args.Skip(at + 1).Count(a => !a.StartsWith('-') && a.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) >= 2;
    }
}
