using Microsoft.Extensions.Time.Testing;
using SpecSynth.Budget;

namespace SpecSynth.Tests.Budget;

/// <summary>The lease (<see cref="LeasedBudgetStore"/>) under concurrency: with as many requests in flight as a lease holds
/// worst cases, or more, the settlements stay in memory (issue 19: before, about half of them went to the shared counters,
/// one write transaction each, at concurrency 16), the counters never count more than right after a top-up, and what is
/// left in them at the end is exactly the actual costs.</summary>
public sealed class BudgetLeaseConcurrencyTests
{
    private const long Usd = BudgetMoney.NanosPerUsd;

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    public async Task ConcurrentRequests_SettleInMemory_AndLeaveExactlyTheActualCosts(int concurrency)
    {
        const int Total = 4000;
        const long Wanted = Usd / 10;
        const long Actual = Usd / 10_000;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        var counters = new CountingCounters();
        var store = new LeasedBudgetStore(counters, time);
        IReadOnlyList<BudgetWindow> windows = [new BudgetWindow("daily", "day:2026-12-02", 1_000_000 * Usd)];
        var issued = -1;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref issued) < Total)
            {
                var grant = await store.ReserveAsync(windows, Wanted, Wanted, CancellationToken.None);
                Assert.Equal(Wanted, grant.Granted);
                await Task.Yield();
                await store.SettleAsync(windows, grant.Granted, Actual, CancellationToken.None);
                await Task.Yield();
            }
        })).ToList();
        await Task.WhenAll(workers);

        // Before: at concurrency 16, 126 top-ups and 1,875 settlements sent to the counters (of 4,000).
        Assert.InRange(counters.Reserves, 1, 8);
        Assert.Equal(0, counters.Adjusts);
        // The counters count the lease and the open reservations of each top-up, never more than (16 + in flight) worst cases.
        Assert.InRange(counters.MostUsed, LeasedBudgetStore.Requests * Wanted, (LeasedBudgetStore.Requests + concurrency) * Wanted + Total * Actual);
        store.Dispose();
        Assert.Equal(Total * Actual, counters.Used);
    }

    [Fact]
    public async Task AfterATopUp_TheOpenReservationsRefunds_StayInTheLease_ButNoMoreThanItStoodFor()
    {
        const long Wanted = Usd / 10;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        var counters = new CountingCounters();
        using var store = new LeasedBudgetStore(counters, time);
        IReadOnlyList<BudgetWindow> windows = [new BudgetWindow("daily", "day:2026-12-02", 1_000_000 * Usd)];
        var lease = LeasedBudgetStore.Requests * Wanted;

        // 16 open reservations empty the first lease; the 17th tops it up: the counters count 2 leases.
        for (var i = 0; i <= LeasedBudgetStore.Requests; i++)
        {
            await store.ReserveAsync(windows, Wanted, Wanted, CancellationToken.None);
        }
        Assert.Equal(2, counters.Reserves);
        Assert.Equal(2 * lease, counters.Used);
        Assert.Equal(lease - Wanted, store.Available);

        // The first lease's 16 reservations settle for nothing: their refunds stay in the lease (the counters were counting
        // them already), one transaction fewer each.
        for (var i = 0; i < LeasedBudgetStore.Requests; i++)
        {
            await store.SettleAsync(windows, Wanted, 0, CancellationToken.None);
        }
        Assert.Equal(0, counters.Adjusts);
        Assert.Equal(2 * lease - Wanted, store.Available);

        // The 17th settles above its reservation: paid from the lease. A later reservation that grows past what the lease
        // holds goes to the counters.
        await store.SettleAsync(windows, Wanted, 2 * Wanted, CancellationToken.None);
        Assert.Equal(2 * lease - 2 * Wanted, store.Available);
        Assert.Equal(2 * lease, counters.Used);
        await store.AdjustAsync(windows, 3 * lease, CancellationToken.None);
        Assert.Equal(1, counters.Adjusts);
        Assert.Equal(5 * lease, counters.Used);

        // Its release is kept only up to what the lease stood for after its top-up (2 leases); the rest goes back.
        await store.AdjustAsync(windows, -3 * lease, CancellationToken.None);
        Assert.Equal(2, counters.Adjusts);
        Assert.Equal(2 * lease, store.Available);
        Assert.Equal(2 * lease + 2 * Wanted, counters.Used);
        Assert.Equal(5 * lease, counters.MostUsed);
    }

    private sealed class CountingCounters : IBudgetCounters
    {
        private readonly Lock _gate = new();
        public int Reserves;
        public int Adjusts;
        public long Used;
        public long MostUsed;

        public Task<BudgetGrant> ReserveAsync(IReadOnlyList<BudgetWindow> windows, long wanted, long minimum, long lease, long held,
            CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                Reserves++;
                var grant = BudgetGrant.Decide([.. windows.Select(w => (w, Used))], wanted, minimum, lease, held);
                Used += grant.Granted - held;
                MostUsed = Math.Max(MostUsed, Used);
                return Task.FromResult(grant);
            }
        }

        public Task AdjustAsync(IReadOnlyList<BudgetWindow> windows, long delta, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                Adjusts++;
                Used += delta;
                MostUsed = Math.Max(MostUsed, Used);
            }
            return Task.CompletedTask;
        }

        public void Dispose()
        {
        }
    }
}
