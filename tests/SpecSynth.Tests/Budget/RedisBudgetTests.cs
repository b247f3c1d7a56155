using Microsoft.Extensions.Time.Testing;
using SpecSynth.Budget;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;
using StackExchange.Redis;

namespace SpecSynth.Tests.Budget;

/// <summary>Team budgets in a real Redis: many machines on one budget, two CLI processes, Redis lost mid-run.</summary>
public sealed class RedisBudgetTests
{
    private const long Usd = BudgetMoney.NanosPerUsd;

    [Fact]
    public async Task ManyMachinesSharingOneRedis_NeverExceedTheTeamBudgetTogether()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(RedisTestServer.Shared.Address);
        var time = new FakeTimeProvider(await UnusedDayAsync(redis.GetDatabase()));
        var day = $"day:{time.GetUtcNow():yyyy-MM-dd}";
        var month = $"month:{time.GetUtcNow():yyyy-MM}";
        var machines = Enumerable.Range(0, 4).Select(_ => new TempDir()).ToList();
        var options = new BudgetOptions { DailyUsd = 1m, MonthlyUsd = 0.7m };
        var ledgers = machines.Select(m => BudgetLedger.Open(options, "redis://" + RedisTestServer.Shared.Address, m.Path, time, null, SpecSynthRedis.Backend)!).ToList();
        var successes = 0;

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var ledger = ledgers[i % ledgers.Count];
            var (held, _) = await ledger.ReserveAsync(Usd / 10, Usd / 10, CancellationToken.None);
            if (held is not null)
            {
                Interlocked.Increment(ref successes);
                await ledger.SettleAsync(held, held.Nanos);
            }
        })));

        // The monthly budget ($0.70) binds before the daily one ($1): seven requests of $0.10 in all.
        Assert.Equal(7, successes);
        Assert.Equal(Usd * 7 / 10, (long)await redis.GetDatabase().StringGetAsync(RedisBudgetStore.KeyPrefix + day));
        Assert.Equal(Usd * 7 / 10, (long)await redis.GetDatabase().StringGetAsync(RedisBudgetStore.KeyPrefix + month));
        // Each machine's own counters hold exactly its share.
        var local = machines.Sum(m =>
        {
            using var store = SqliteBudgetStore.Open(m.Combine(SqliteBudgetStore.FileName), time);
            return store.Used(day);
        });
        Assert.Equal(Usd * 7 / 10, local);
        Assert.InRange((await redis.GetDatabase().KeyTimeToLiveAsync(RedisBudgetStore.KeyPrefix + day))!.Value.TotalHours, 47, 48);
        Assert.InRange((await redis.GetDatabase().KeyTimeToLiveAsync(RedisBudgetStore.KeyPrefix + month))!.Value.TotalDays, 61, 62);
        ledgers.ForEach(l => l.Dispose());
        machines.ForEach(m => m.Dispose());
        await redis.GetDatabase().KeyDeleteAsync([RedisBudgetStore.KeyPrefix + day, RedisBudgetStore.KeyPrefix + month]);
    }

    [Fact]
    public async Task MachinesLeasingFromOneRedis_HoldTheirLeasesThere_AndGiveThemBackOnDispose()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(RedisTestServer.Shared.Address);
        var time = new FakeTimeProvider(await UnusedDayAsync(redis.GetDatabase()));
        var day = $"day:{time.GetUtcNow():yyyy-MM-dd}";
        var key = RedisBudgetStore.KeyPrefix + day;
        var machines = Enumerable.Range(0, 2).Select(_ => new TempDir()).ToList();
        var options = new BudgetOptions { DailyUsd = 1000m };
        var ledgers = machines.Select(m => BudgetLedger.Open(options, "redis://" + RedisTestServer.Shared.Address, m.Path, time, null, SpecSynthRedis.Backend)!).ToList();

        foreach (var ledger in ledgers)
        {
            for (var i = 0; i < 3; i++)
            {
                var (held, _) = await ledger.ReserveAsync(Usd / 10, Usd / 100, CancellationToken.None);
                Assert.True(held!.InRedis);
                await ledger.SettleAsync(held, Usd / 100);
            }
        }

        // Each machine leased 16 worst cases in Redis and in its own file.
        Assert.Equal(2 * LeasedBudgetStore.Requests * Usd / 10, (long)await redis.GetDatabase().StringGetAsync(key));
        ledgers.ForEach(l => l.Dispose());
        Assert.Equal(6 * Usd / 100, (long)await redis.GetDatabase().StringGetAsync(key));
        foreach (var machine in machines)
        {
            using var store = SqliteBudgetStore.Open(machine.Combine(SqliteBudgetStore.FileName), time);
            Assert.Equal(3 * Usd / 100, store.Used(day));
            machine.Dispose();
        }
        await redis.GetDatabase().KeyDeleteAsync([key, RedisBudgetStore.KeyPrefix + $"month:{time.GetUtcNow():yyyy-MM}"]);
    }

    [Fact]
    public async Task RedisKilledMidRun_WarnsOnce_AndTheRunGoesOnWithTheLocalCounters()
    {
        using var server = RedisTestServer.StartPrivate();
        using var dir = new TempDir();
        var time = new FakeTimeProvider(UniqueDay());
        var warnings = new List<string>();
        using var ledger = BudgetLedger.Open(new BudgetOptions { DailyUsd = 1m }, "redis://" + server.Address, dir.Path, time, warnings.Add, SpecSynthRedis.Backend)!;
        using var local = SqliteBudgetStore.Open(dir.Combine(SqliteBudgetStore.FileName), time);
        var day = $"day:{time.GetUtcNow():yyyy-MM-dd}";

        var (held, _) = await ledger.ReserveAsync(Usd / 2, Usd / 2, CancellationToken.None);
        Assert.True(held!.InRedis);
        server.Kill();
        await ledger.SettleAsync(held, Usd / 10);

        // Settled locally: the machine's counter holds the actual cost, not the reservation; nothing was lost.
        Assert.Equal(Usd / 10, local.Used(day));
        var warning = Assert.Single(warnings);
        Assert.Contains($"Redis at {server.Address}/0 is unreachable", warning, StringComparison.Ordinal);
        Assert.Contains("this machine's counters alone", warning, StringComparison.Ordinal);

        var (next, _) = await ledger.ReserveAsync(Usd / 2, Usd / 2, CancellationToken.None);
        Assert.False(next!.InRedis);
        await ledger.SettleAsync(next, Usd / 2);
        var (refused, grant) = await ledger.ReserveAsync(Usd / 2, Usd / 2, CancellationToken.None);
        Assert.Null(refused);
        Assert.Equal(Usd * 4 / 10, grant.LeftNanos);
        Assert.Single(warnings);
    }

    [Fact]
    public async Task TwoCliProcessesOnTwoMachines_ChargeOneTeamBudget_AndAThirdIsRefusedByIt()
    {
        using var redisServer = RedisTestServer.StartPrivate();
        using var dir = new TempDir();
        await using var server = await FakeProviderServer.StartAsync();
        var claude = ProviderCases.Get("claude");
        server.Router = request => request.Path == claude.ChatPath ? claude.Reply(ModelAnswers.TwoFiles, stream: true) : null;
        dir.Write("specsynth.toml", $"""
            [retry]
            max_attempts = 1
            continuation_rounds = 0

            [budget]
            daily_usd = 1

            [shared]
            redis = "redis://{redisServer.Address}"
            """);
        var spec = dir.Write("spec.md", ModelAnswers.Spec);
        Dictionary<string, string> Machine(string name) => new()
        {
            ["ANTHROPIC_API_KEY"] = claude.Key!,
            ["ANTHROPIC_BASE_URL"] = server.BaseUrl.AbsoluteUri.TrimEnd('/'),
            ["SPECSYNTH_HOME"] = dir.Combine(name),
            ["HOME"] = dir.Combine("home"),
        };

        var runs = await Task.WhenAll(
            SpecSynth.Tests.Providers.Keys.SharedRedisOverProcessesTests.RunCliAsync(dir.Path, Machine("a"), "generate", spec, "--out", dir.Combine("out1"), "--no-cache"),
            SpecSynth.Tests.Providers.Keys.SharedRedisOverProcessesTests.RunCliAsync(dir.Path, Machine("b"), "generate", spec, "--out", dir.Combine("out2"), "--no-cache"));

        Assert.All(runs, r => Assert.True(r.Code == 0, r.Stderr));
        Assert.Equal(2, server.Requests.Count);
        var key = RedisBudgetStore.KeyPrefix + $"day:{DateTime.UtcNow:yyyy-MM-dd}";
        using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.Address);
        var db = redis.GetDatabase();
        // Under heavy load a run whose Redis call outlives the 1 s timeout falls back to its machine's counters (with a
        // warning): say so when the team counter is short, instead of a bare number.
        var team = (long)await db.StringGetAsync(key);
        Assert.True(team == 2 * 32_258_400L,
            $"team counter {team}, expected {2 * 32_258_400L}; stderr a: {runs[0].Stderr}; stderr b: {runs[1].Stderr}");
        foreach (var machine in new[] { "a", "b" })
        {
            using var store = SqliteBudgetStore.Open(dir.Combine(machine, SqliteBudgetStore.FileName), TimeProvider.System);
            Assert.Equal(32_258_400L, store.Used($"day:{DateTime.UtcNow:yyyy-MM-dd}"));
        }

        // The team spent $0.99 elsewhere: a third machine, whose own counters are empty, is refused by the team budget.
        await db.StringSetAsync(key, 990_000_000L);
        var third = await SpecSynth.Tests.Providers.Keys.SharedRedisOverProcessesTests.RunCliAsync(dir.Path, Machine("c"), "generate", spec, "--out", dir.Combine("out3"), "--no-cache");

        Assert.Equal(6, third.Code);
        Assert.Contains("the daily budget", third.Stderr, StringComparison.Ordinal);
        Assert.Contains("has $0.0100 left of $1.0000", third.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    /// <summary>A day far from today, so its day and month keys are no real budget's.</summary>
    private static DateTimeOffset UniqueDay() =>
        new DateTimeOffset(2200, 1, 1, 12, 0, 0, TimeSpan.Zero).AddDays(Random.Shared.Next(0, 300 * 365));

    /// <summary>A <see cref="UniqueDay"/> whose day and month keys the shared server does not hold, so they are this test's alone.</summary>
    private static async Task<DateTimeOffset> UnusedDayAsync(IDatabase db)
    {
        while (true)
        {
            var day = UniqueDay();
            if (!await db.KeyExistsAsync(RedisBudgetStore.KeyPrefix + $"day:{day:yyyy-MM-dd}")
                && !await db.KeyExistsAsync(RedisBudgetStore.KeyPrefix + $"month:{day:yyyy-MM}"))
            {
                return day;
            }
        }
    }
}
