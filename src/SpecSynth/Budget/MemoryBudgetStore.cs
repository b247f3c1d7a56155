namespace SpecSynth.Budget;

/// <summary>Counters of this process only: the run budget (<c>--max-cost</c>), shared by the concurrent specs of a run.</summary>
internal sealed class MemoryBudgetStore : IBudgetStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _used = new(StringComparer.Ordinal);

    public Task<BudgetGrant> ReserveAsync(IReadOnlyList<BudgetWindow> windows, long wanted, long minimum, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var grant = BudgetGrant.Decide([.. windows.Select(w => (w, _used.GetValueOrDefault(w.Period)))], wanted, minimum);
            Add(windows, grant.Granted);
            return Task.FromResult(grant);
        }
    }

    public Task AdjustAsync(IReadOnlyList<BudgetWindow> windows, long delta, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Add(windows, delta);
        }
        return Task.CompletedTask;
    }

    public Task SettleAsync(IReadOnlyList<BudgetWindow> windows, long reserved, long actual, CancellationToken cancellationToken) =>
        actual == reserved ? Task.CompletedTask : AdjustAsync(windows, actual - reserved, cancellationToken);

    private void Add(IReadOnlyList<BudgetWindow> windows, long delta)
    {
        foreach (var window in windows)
        {
            _used[window.Period] = Math.Max(0, _used.GetValueOrDefault(window.Period) + delta);
        }
    }

    public void Dispose()
    {
        // Nothing to release.
    }
}
