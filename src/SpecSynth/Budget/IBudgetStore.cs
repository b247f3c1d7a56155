namespace SpecSynth.Budget;

/// <summary>Budget counters (nano-USD spent or reserved per period) with an atomic check-and-reserve.</summary>
internal interface IBudgetStore : IDisposable
{
    /// <summary>Atomically reserves the same amount in every window (see <see cref="BudgetGrant.Decide"/>); nothing is
    /// reserved when refused.</summary>
    Task<BudgetGrant> ReserveAsync(IReadOnlyList<BudgetWindow> windows, long wanted, long minimum, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="delta"/> (negative to release) to every window's counter.</summary>
    Task AdjustAsync(IReadOnlyList<BudgetWindow> windows, long delta, CancellationToken cancellationToken);
}
