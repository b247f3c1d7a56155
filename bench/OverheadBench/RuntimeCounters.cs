namespace OverheadBench;

/// <summary>
/// The runtime's process-wide counters around one measured block (issue 19: the hops, pauses and lock waits a request
/// costs): thread-pool work items completed, garbage collections by generation, time the GC paused the process, and
/// contended <see cref="Monitor"/>/<see cref="Lock"/> acquisitions. Subtract a snapshot taken before from one taken after.
/// Process-wide: the in-process server's share is in both sides, so the differences between the bare and the full client
/// are the pipeline's.
/// </summary>
/// <param name="WorkItems">Thread-pool work items completed (<see cref="ThreadPool.CompletedWorkItemCount"/>): every hop
/// through the pool, a continuation queued by an await, a timer callback, a queued writer.</param>
/// <param name="Gen0">Collections of generation 0 alone.</param>
/// <param name="Gen1">Collections of generation 1 (with 0), not 2.</param>
/// <param name="Gen2">Full collections (generation 2, background or blocking).</param>
/// <param name="PauseMs">Time the GC suspended the process (<see cref="GC.GetTotalPauseDuration"/>).</param>
/// <param name="Contentions">Lock acquisitions that had to wait (<see cref="Monitor.LockContentionCount"/>).</param>
internal readonly record struct RuntimeCounters(long WorkItems, int Gen0, int Gen1, int Gen2, double PauseMs, long Contentions)
{
    /// <summary>The counters now.</summary>
    public static RuntimeCounters Now()
    {
        var (all, gen1AndUp, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        return new(ThreadPool.CompletedWorkItemCount, all - gen1AndUp, gen1AndUp - gen2, gen2,
            GC.GetTotalPauseDuration().TotalMilliseconds, Monitor.LockContentionCount);
    }

    /// <summary>What happened between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static RuntimeCounters operator -(RuntimeCounters after, RuntimeCounters before) => new(
        after.WorkItems - before.WorkItems, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2,
        after.PauseMs - before.PauseMs, after.Contentions - before.Contentions);

    /// <summary>The sum of two blocks' counters.</summary>
    public static RuntimeCounters operator +(RuntimeCounters a, RuntimeCounters b) => new(
        a.WorkItems + b.WorkItems, a.Gen0 + b.Gen0, a.Gen1 + b.Gen1, a.Gen2 + b.Gen2, a.PauseMs + b.PauseMs,
        a.Contentions + b.Contentions);
}
