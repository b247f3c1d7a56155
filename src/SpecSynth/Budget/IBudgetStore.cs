namespace SpecSynth.Budget;

/// <summary>Budget counters (nano-USD spent or reserved per period) with an atomic check-and-reserve.</summary>
internal interface IBudgetStore : IDisposable
{
    /// <summary>Atomically reserves the same amount in every window (see <see cref="BudgetGrant.Decide"/>); nothing is
    /// reserved when refused.</summary>
    /// <remarks>A <see cref="ValueTask{TResult}"/>: a grant decided in memory (a lease, the run budget) costs no task.</remarks>
    ValueTask<BudgetGrant> ReserveAsync(IReadOnlyList<BudgetWindow> windows, long wanted, long minimum, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="delta"/> (negative to release) to every window's counter: an open reservation grew or
    /// shrank by <paramref name="delta"/> (to nothing when it is released whole).</summary>
    Task AdjustAsync(IReadOnlyList<BudgetWindow> windows, long delta, CancellationToken cancellationToken);

    /// <summary>Ends a reservation of <paramref name="reserved"/> nano-USD with its actual cost <paramref name="actual"/>:
    /// every window's counter changes by <c>actual - reserved</c>. Called once per reservation, also when the two are equal
    /// (a store may keep track of what is still open).</summary>
    Task SettleAsync(IReadOnlyList<BudgetWindow> windows, long reserved, long actual, CancellationToken cancellationToken);
}
