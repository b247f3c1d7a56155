namespace SpecSynth.Tests.Service;

/// <summary><see cref="RunHeapTrim"/>: a long streamed run's aggressive gen2 collections (when its switch is on), one per
/// <see cref="RunHeapTrim.Every"/> finished specs at most, none when the GC made one of its own meanwhile.</summary>
public sealed class RunHeapTrimTests
{
    [Fact]
    public void EveryNthSpec_StartsOneCollection_WhenTheGcMadeNone()
    {
        var gen2 = 7;
        var collects = 0;
        var trim = new RunHeapTrim(() => gen2, () => { collects++; gen2++; });

        for (var i = 1; i <= (RunHeapTrim.Every * 3) - 1; i++)
        {
            trim.SpecDone();
            Assert.Equal(i / RunHeapTrim.Every, collects);
        }
    }

    [Fact]
    public void NoCollection_WhenTheGcMadeOneSinceTheLastCheck()
    {
        var gen2 = 0;
        var collects = 0;
        var trim = new RunHeapTrim(() => gen2, () => collects++);

        Done(trim, RunHeapTrim.Every - 1);
        gen2++; // the GC's own gen2 collection before the first check
        Done(trim, 1);
        Assert.Equal(0, collects);
        Done(trim, RunHeapTrim.Every); // none since that check: one now
        Assert.Equal(1, collects);
    }

    [Fact]
    public void ConcurrentSpecs_CheckOncePerEvery()
    {
        var collects = 0;
        var trim = new RunHeapTrim(() => 0, () => Interlocked.Increment(ref collects));

        Parallel.For(0, RunHeapTrim.Every * 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ => trim.SpecDone());

        Assert.Equal(8, collects);
    }

    [Fact]
    public void OnlyRunsLongerThanOneCheck_GetATrim()
    {
        Assert.False(RunHeapTrim.Pays(1, switchedOn: true));
        Assert.False(RunHeapTrim.Pays(RunHeapTrim.Every, switchedOn: true));
        Assert.True(RunHeapTrim.Pays(RunHeapTrim.Every + 1, switchedOn: true));
    }

    [Fact]
    public void WithoutTheSwitch_NoRunGetsATrim()
    {
        Assert.False(RunHeapTrim.Pays(RunHeapTrim.Every + 1, switchedOn: false));
        Assert.False(RunHeapTrim.Pays(RunHeapTrim.Every * 20, switchedOn: false));
    }

    [Fact]
    public void TheTrim_IsABlockingCompactingGen2Collection()
    {
        // Another test's GC.Collect() (blocking, not always compacting) may come between a trim and the read of the last
        // full blocking collection: a few tries; a background trim (not blocking) would fail every one.
        var seen = false;
        for (var attempt = 0; attempt < 3 && !seen; attempt++)
        {
            var before = GC.CollectionCount(2);
            RunHeapTrim.Collect();
            var last = GC.GetGCMemoryInfo(GCKind.FullBlocking);
            Assert.True(GC.CollectionCount(2) > before, "done when the call returns");
            seen = last.Generation == 2 && last.Compacted;
        }
        Assert.True(seen, "the last full blocking collection is the trim's, a compacting gen2 one");
    }

    private static void Done(RunHeapTrim trim, int specs)
    {
        for (var i = 0; i < specs; i++)
        {
            trim.SpecDone();
        }
    }
}
