using Microsoft.Extensions.Time.Testing;
using SpecSynth.Budget;

namespace SpecSynth.Tests.Budget;

/// <summary>The process-local lease on budget.db (<see cref="LeasedBudgetStore"/>): served in memory, topped up, shrunk near a
/// limit, given back when idle, on a new day and on dispose; several ledgers on one file never spend beyond the limit.</summary>
public sealed class BudgetLeaseTests
{
    private const long Usd = BudgetMoney.NanosPerUsd;
    private const string Day = "day:2026-12-02";

    [Fact]
    public async Task ALease_ServesRequestsInMemory_AndDisposeLeavesExactlyTheActualCosts()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        using var store = SqliteBudgetStore.Open(dir.Combine(SqliteBudgetStore.FileName), time);
        var ledger = Open(dir, time, 1000m);

        var (held, _) = await ledger.ReserveAsync(Usd / 10, Usd / 100, CancellationToken.None);
        Assert.Equal(Usd / 10, held!.Nanos);
        // The lease (16 worst cases, far below 1/16 of $1000) counts as spent in the file while it is held.
        Assert.Equal(LeasedBudgetStore.Requests * Usd / 10, store.Used(Day));
        await ledger.SettleAsync(held, Usd / 100);
        for (var i = 0; i < 9; i++)
        {
            var (next, _) = await ledger.ReserveAsync(Usd / 10, Usd / 100, CancellationToken.None);
            await ledger.SettleAsync(next!, Usd / 100);
        }
        Assert.Equal(LeasedBudgetStore.Requests * Usd / 10, store.Used(Day));

        ledger.Dispose();
        Assert.Equal(10 * Usd / 100, store.Used(Day));
    }

    [Fact]
    public async Task AnEmptiedLease_IsToppedUp()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        using var store = SqliteBudgetStore.Open(dir.Combine(SqliteBudgetStore.FileName), time);
        var ledger = Open(dir, time, 1000m);
        var lease = LeasedBudgetStore.Requests * Usd / 10;

        var open = new List<BudgetReservation>();
        for (var i = 0; i < LeasedBudgetStore.Requests; i++)
        {
            open.Add((await ledger.ReserveAsync(Usd / 10, Usd / 10, CancellationToken.None)).Reservation!);
            Assert.Equal(lease, store.Used(Day));
        }
        open.Add((await ledger.ReserveAsync(Usd / 10, Usd / 10, CancellationToken.None)).Reservation!);
        Assert.Equal(2 * lease, store.Used(Day));

        foreach (var reservation in open)
        {
            await ledger.SettleAsync(reservation, reservation.Nanos);
        }
        ledger.Dispose();
        Assert.Equal(17 * Usd / 10, store.Used(Day));
    }

    [Fact]
    public async Task NearTheLimit_TheLeaseShrinks_AndEveryRequestAnExactReservationWouldGrantIsGranted()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        using var store = SqliteBudgetStore.Open(dir.Combine(SqliteBudgetStore.FileName), time);
        using var ledger = Open(dir, time, 1m);

        var (first, _) = await ledger.ReserveAsync(Usd / 100, Usd / 100, CancellationToken.None);
        // 16 worst cases would be $0.16: the lease is cut to 1/16 of the $1 left.
        Assert.Equal(Usd / BudgetGrant.LeaseShare, store.Used(Day));
        await ledger.SettleAsync(first!, Usd / 100);
        var granted = 1;
        while (true)
        {
            var (held, grant) = await ledger.ReserveAsync(Usd / 100, Usd / 100, CancellationToken.None);
            if (held is null)
            {
                Assert.Equal("daily", grant.Short!.Name);
                Assert.Equal(0, grant.LeftNanos);
                break;
            }
            granted++;
            await ledger.SettleAsync(held, Usd / 100);
        }

        Assert.Equal(100, granted);
        Assert.Equal(Usd, store.Used(Day));
    }

    [Fact]
    public async Task AnotherProcessesLease_CountsAsSpent_UntilItIsIdleAndGivesItBack()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        using var store = SqliteBudgetStore.Open(dir.Combine(SqliteBudgetStore.FileName), time);
        using (var earlier = Open(dir, time, 1m))
        {
            var (spent, _) = await earlier.ReserveAsync(Usd * 94 / 100, Usd * 94 / 100, CancellationToken.None);
            await earlier.SettleAsync(spent!, spent!.Nanos);
        }
        using var a = Open(dir, time, 1m);
        using var b = Open(dir, time, 1m);

        // $0.06 left: a's request of $0.001 takes a lease of 1/16 of it ($0.00375).
        var (small, _) = await a.ReserveAsync(Usd / 1000, Usd / 1000, CancellationToken.None);
        await a.SettleAsync(small!, Usd / 1000);
        Assert.Equal(Usd * 94 / 100 + Usd * 375 / 100_000, store.Used(Day));

        // $0.059 is unspent, but a's lease still counts: b's $0.0574 does not fit in the $0.05625 the file has left.
        var (refused, grant) = await b.ReserveAsync(Usd * 574 / 10_000, Usd * 574 / 10_000, CancellationToken.None);
        Assert.Null(refused);
        Assert.Equal(Usd * 5625 / 100_000, grant.LeftNanos);

        time.Advance(LeasedBudgetStore.IdleReturn);
        Assert.Equal(Usd * 941 / 1000, store.Used(Day));
        var (granted, _) = await b.ReserveAsync(Usd * 574 / 10_000, Usd * 574 / 10_000, CancellationToken.None);
        Assert.Equal(Usd * 574 / 10_000, granted!.Nanos);
    }

    [Fact]
    public async Task ManyLedgersOnOneFile_NeverExceedTheBudgetTogether_AndGiveBackEveryLease()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        var ledgers = Enumerable.Range(0, 4).Select(_ => Open(dir, time, 2m)).ToList();
        var spent = 0L;

        await Task.WhenAll(Enumerable.Range(0, 600).Select(i => Task.Run(async () =>
        {
            var ledger = ledgers[i % ledgers.Count];
            var (held, _) = await ledger.ReserveAsync(Usd / 100, Usd / 100, CancellationToken.None);
            if (held is not null)
            {
                Interlocked.Add(ref spent, held.Nanos / 2);
                await ledger.SettleAsync(held, held.Nanos / 2);
            }
        })));
        ledgers.ForEach(l => l.Dispose());

        using var store = SqliteBudgetStore.Open(dir.Combine(SqliteBudgetStore.FileName), time);
        Assert.InRange(spent, 1, 2 * Usd);
        Assert.Equal(spent, store.Used(Day));
        // Nothing is held any more: a later process can spend exactly the rest, and not a nano more.
        using var later = Open(dir, time, 2m);
        var rest = 2 * Usd - spent;
        if (rest > 0)
        {
            Assert.Equal(rest, (await later.ReserveAsync(rest, rest, CancellationToken.None)).Reservation!.Nanos);
        }
        Assert.Null((await later.ReserveAsync(1, 1, CancellationToken.None)).Reservation);
    }

    [Fact]
    public async Task ANewUtcDay_GivesBackTheOldDaysLease()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 23, 59, 59, TimeSpan.Zero));
        using var store = SqliteBudgetStore.Open(dir.Combine(SqliteBudgetStore.FileName), time);
        using var ledger = Open(dir, time, 1000m);

        var (held, _) = await ledger.ReserveAsync(Usd / 10, Usd / 100, CancellationToken.None);
        await ledger.SettleAsync(held!, Usd / 100);
        time.Advance(TimeSpan.FromSeconds(1));
        var (next, _) = await ledger.ReserveAsync(Usd / 10, Usd / 100, CancellationToken.None);

        Assert.Equal(Usd / 100, store.Used(Day));
        Assert.Equal(LeasedBudgetStore.Requests * Usd / 10, store.Used("day:2026-12-03"));
        Assert.Equal("day:2026-12-03", Assert.Single(next!.Calendar).Period);
    }

    [Fact]
    public async Task ACancelledReservation_HoldsNothing_InTheRunBudgetEither()
    {
        using var dir = new TempDir();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        using var ledger = BudgetLedger.Open(new BudgetOptions { RunUsd = 0.1m, DailyUsd = 1000m }, null, dir.Path, time, null)!;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ledger.ReserveAsync(Usd / 10, Usd / 10, cancelled.Token).AsTask());

        var (held, _) = await ledger.ReserveAsync(Usd / 10, Usd / 10, CancellationToken.None);
        Assert.Equal(Usd / 10, held!.Nanos);
    }

    private static BudgetLedger Open(TempDir dir, TimeProvider time, decimal dailyUsd) =>
        BudgetLedger.Open(new BudgetOptions { DailyUsd = dailyUsd }, null, dir.Path, time, null)!;
}
