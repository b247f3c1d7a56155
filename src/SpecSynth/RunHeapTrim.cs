namespace SpecSynth;

/// <summary>
/// Keeps a long many-spec run's memory from growing with its length: every <see cref="Every"/> finished specs, one
/// aggressive gen2 collection (blocking, compacting, and giving the freed regions back to the system), only when the GC made
/// none of its own since the last check. At 32 specs in flight every gen1 collection promotes the in-flight requests'
/// objects (~0.5-0.8 MB) into gen2, where they die and stay until a gen2 collection, which the GC alone starts rarely (a
/// 10,000-spec run had ~2-5); and a gen2 collection of its own (background, not compacting) leaves the freed space
/// committed and resident. Measured (docs/benchmarks.md, session 16, helper manyflat3): a 10,000-spec run's peak ~5 MB
/// lower than with the background collection of session 15 (which took ~3 MB off), a 1,000-spec run's unchanged, CPU within
/// the runs' spread (a blocking collection of a ~20 MB heap is a few ms, ~20 of them in such a run). Thread-safe.
/// </summary>
internal sealed class RunHeapTrim
{
    /// <summary>The finished specs between two checks.</summary>
    public const int Every = 500;

    private readonly Func<int> _gen2Collections;
    private readonly Action _collect;
    private int _done;
    private int _lastGen2;

    /// <summary>A trim of this process's heap.</summary>
    public RunHeapTrim()
        : this(static () => GC.CollectionCount(2), Collect)
    {
    }

    /// <summary>A trim that reads the gen2 collections so far from <paramref name="gen2Collections"/> and starts one with
    /// <paramref name="collect"/> (tests).</summary>
    internal RunHeapTrim(Func<int> gen2Collections, Action collect)
    {
        _gen2Collections = gen2Collections;
        _collect = collect;
        _lastGen2 = gen2Collections();
    }

    /// <summary>The trim itself: a blocking, compacting gen2 collection that also decommits what it freed
    /// (<see cref="GCCollectionMode.Aggressive"/>; a background or only compacting one left the run's peak where it was).</summary>
    internal static void Collect() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>The <see cref="AppContext"/> switch that turns the trim on. A blocking, compacting collection of the whole
    /// heap is the process's business, not a library's: the CLI sets it (its runtimeconfig); a host that runs long streamed
    /// batches in a process of its own can set it too.</summary>
    public const string Switch = "SpecSynth.TrimHeapInLongRuns";

    /// <summary>Whether a run of <paramref name="specs"/> specs gets a trim: only when <see cref="Switch"/> is on, and only
    /// a run long enough to reach a check.</summary>
    public static bool Pays(int specs) => Pays(specs, AppContext.TryGetSwitch(Switch, out var on) && on);

    /// <summary><see cref="Pays(int)"/> with the switch given (tests).</summary>
    internal static bool Pays(int specs, bool switchedOn) => switchedOn && specs > Every;

    /// <summary>Counts a finished spec (written or failed); every <see cref="Every"/>th makes an aggressive gen2 collection
    /// when none came since the last check.</summary>
    public void SpecDone()
    {
        if (Interlocked.Increment(ref _done) % Every != 0)
        {
            return; // only the caller that reaches a multiple checks, so the check below is never run twice at once
        }
        if (_gen2Collections() == Volatile.Read(ref _lastGen2))
        {
            _collect();
        }
        Volatile.Write(ref _lastGen2, _gen2Collections());
    }
}
