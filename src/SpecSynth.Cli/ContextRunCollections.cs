namespace SpecSynth.Cli;

/// <summary>
/// A warm <c>specsynth context</c> run allocates 50-80 MB in about a quarter of a second and then exits: with the default
/// budgets it collected 2-6 times (a gen0 collection promoting the walk's and the index's arrays, background gen2
/// collections started by its large arrays), all of it work for a heap the process is about to drop. For that command the
/// process asks for a no-GC region of <see cref="Budget"/> at its start, while the heap is still nearly empty (the
/// collection the region starts with has almost nothing to do); a run that allocates more (a very large project) leaves the
/// region at its first collection and collects as before from there (docs/benchmarks.md, session 8, helper warmjit).
/// </summary>
internal static class ContextRunCollections
{
    /// <summary>What a run may allocate before it collects, in the small- and the large-object heap each: above a warm run of
    /// the benchmark's specs (53-79 MB in all).</summary>
    public const long Budget = 128L * 1024 * 1024;

    /// <summary>Starts the no-GC region for the run <paramref name="args"/> describe when <see cref="Applies"/>; a runtime that
    /// cannot give that much (a 32-bit process, a container's memory limit) collects as usual.</summary>
    public static void ChooseFor(string[] args)
    {
        if (!Applies(args))
        {
            return;
        }
        try
        {
            GC.TryStartNoGCRegion(Budget);
        }
        catch (ArgumentOutOfRangeException)
        {
        }
    }

    /// <summary>Whether <paramref name="args"/> are a <c>context</c> command (after any global options).</summary>
    internal static bool Applies(string[] args) => CommandPosition.Names(args, "context");
}
