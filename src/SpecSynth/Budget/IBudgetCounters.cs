namespace SpecSynth.Budget;

/// <summary>
/// Budget counters shared with other processes (<c>budget.db</c>, Redis): nano-USD spent, reserved or leased per period,
/// with an atomic check-and-reserve that can also take a lease (<see cref="BudgetGrant.Decide"/>). The ledger reaches them
/// through a <see cref="LeasedBudgetStore"/>.
/// </summary>
internal interface IBudgetCounters : IDisposable
{
    /// <summary>Atomically decides <see cref="BudgetGrant.Decide"/> over the counters and changes every window's counter by
    /// <c>Granted - held</c> (a refusal gives back what the caller held).</summary>
    Task<BudgetGrant> ReserveAsync(IReadOnlyList<BudgetWindow> windows, long wanted, long minimum, long lease, long held,
        CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="delta"/> (negative to release) to every window's counter (never below zero).</summary>
    Task AdjustAsync(IReadOnlyList<BudgetWindow> windows, long delta, CancellationToken cancellationToken);
}
