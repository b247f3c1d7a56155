using Microsoft.Extensions.Time.Testing;
using SpecSynth.Budget;

namespace SpecSynth.Tests.Budget;

/// <summary>The local counters in budget.db: reserve, settle, release, UTC day and month rollover, concurrent writers.</summary>
public sealed class BudgetLedgerTests
{
    private const long Usd = BudgetMoney.NanosPerUsd;

    [Fact]
    public async Task Settle_ReplacesTheReservationByTheActualCost_AndZeroReleasesIt()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 23, 0, 0, TimeSpan.Zero));
        using var ledger = Open(dir, time, new BudgetOptions { DailyUsd = 1m });
        using var store = SqliteBudgetStore.Open(dir.Combine(SqliteBudgetStore.FileName), time);

        var (held, _) = await ledger.ReserveAsync(Usd / 2, Usd / 10, CancellationToken.None);
        Assert.Equal(Usd / 2, store.Used("day:2026-12-02"));
        await ledger.SettleAsync(held!, Usd / 100);
        Assert.Equal(Usd / 100, store.Used("day:2026-12-02"));

        var (failed, _) = await ledger.ReserveAsync(Usd / 2, Usd / 10, CancellationToken.None);
        await ledger.SettleAsync(failed!, 0);
        Assert.Equal(Usd / 100, store.Used("day:2026-12-02"));
    }

    [Fact]
    public async Task DailyAndMonthlyBudgets_RollOverAtUtcMidnightAndAtTheMonthsStart()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 30, 22, 0, 0, TimeSpan.Zero));
        using var ledger = Open(dir, time, new BudgetOptions { DailyUsd = 1m, MonthlyUsd = 1.5m });

        await SpendAsync(ledger, Usd * 8 / 10);
        var (refused, grant) = await ledger.ReserveAsync(Usd / 2, Usd * 3 / 10, CancellationToken.None);
        Assert.Null(refused);
        Assert.Equal("daily", grant.Short!.Name);
        Assert.Equal(Usd * 2 / 10, grant.LeftNanos);

        // 23:59:59 is still the same UTC day; 00:00 the next is a new day (in a time zone far from UTC too).
        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(59));
        Assert.Null((await ledger.ReserveAsync(Usd / 2, Usd * 3 / 10, CancellationToken.None)).Reservation);
        time.Advance(TimeSpan.FromSeconds(1));
        await SpendAsync(ledger, Usd / 2);

        // The month has 1.5 - 0.8 - 0.5 = 0.2 left.
        time.Advance(TimeSpan.FromHours(12));
        (refused, grant) = await ledger.ReserveAsync(Usd / 2, Usd * 3 / 10, CancellationToken.None);
        Assert.Null(refused);
        Assert.Equal("monthly", grant.Short!.Name);
        Assert.Equal("month:2026-12", grant.Short.Period);

        time.Advance(TimeSpan.FromHours(12)); // 2027-01-01 00:00 UTC
        await SpendAsync(ledger, Usd / 2);
    }

    [Fact]
    public async Task ARunBudget_IsKeptInMemory_AndSharedByTheRequestsOfTheRun()
    {
        using var dir = new TempDir();
        using var ledger = Open(dir, TimeProvider.System, new BudgetOptions { RunUsd = 0.1m });

        var (first, _) = await ledger.ReserveAsync(Usd * 6 / 100, Usd / 100, CancellationToken.None);
        var (second, _) = await ledger.ReserveAsync(Usd * 6 / 100, Usd / 100, CancellationToken.None);
        var (third, grant) = await ledger.ReserveAsync(Usd * 6 / 100, Usd / 100, CancellationToken.None);

        Assert.Equal(Usd * 6 / 100, first!.Nanos);
        Assert.Equal(Usd * 4 / 100, second!.Nanos);
        Assert.Null(third);
        Assert.Equal("run", grant.Short!.Name);
    }

    [Fact]
    public async Task ManyWritersOnSeparateConnections_NeverExceedTheBudgetTogether()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        var options = new BudgetOptions { DailyUsd = 1m };
        var ledgers = Enumerable.Range(0, 8).Select(_ => Open(dir, time, options)).ToList();
        var granted = 0L;
        var successes = 0;

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var ledger = ledgers[i % ledgers.Count];
            var (held, _) = await ledger.ReserveAsync(Usd / 10, Usd / 10, CancellationToken.None);
            if (held is not null)
            {
                Interlocked.Add(ref granted, held.Nanos);
                Interlocked.Increment(ref successes);
                await ledger.SettleAsync(held, held.Nanos);
            }
        })));

        using var store = SqliteBudgetStore.Open(dir.Combine(SqliteBudgetStore.FileName), time);
        Assert.Equal(10, successes);
        Assert.Equal(Usd, granted);
        Assert.Equal(Usd, store.Used("day:2026-12-02"));
        ledgers.ForEach(l => l.Dispose());
    }

    private static BudgetLedger Open(TempDir dir, TimeProvider time, BudgetOptions options) =>
        BudgetLedger.Open(options, null, dir.Path, time, null)!;

    private static async Task SpendAsync(BudgetLedger ledger, long nanos)
    {
        var (held, grant) = await ledger.ReserveAsync(nanos, nanos, CancellationToken.None);
        Assert.True(held is not null, $"refused by {grant.Short?.Name}: {grant.LeftNanos} left");
        await ledger.SettleAsync(held, nanos);
    }
}
