namespace SpecSynth.Budget;

/// <summary>Counters of this process only: the run budget (<c>--max-cost</c>), shared by the concurrent specs of a run.</summary>
internal sealed class MemoryBudgetStore : IBudgetStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _used = new(StringComparer.Ordinal);

    public ValueTask<BudgetGrant> ReserveAsync(IReadOnlyList<BudgetWindow> windows, long wanted, long minimum, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A loop, not a query: no enumerator or closure per request.
            var used = new (BudgetWindow Window, long Used)[windows.Count];
            for (var i = 0; i < used.Length; i++)
            {
                used[i] = (windows[i], _used.GetValueOrDefault(windows[i].Period));
            }
            var grant = BudgetGrant.Decide(used, wanted, minimum);
            Add(windows, grant.Granted);
            return new ValueTask<BudgetGrant>(grant);
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
        for (var i = 0; i < windows.Count; i++)
        {
            var period = windows[i].Period;
            _used[period] = Math.Max(0, _used.GetValueOrDefault(period) + delta);
        }
    }

    public void Dispose()
    {
        // Nothing to release.
    }
}
