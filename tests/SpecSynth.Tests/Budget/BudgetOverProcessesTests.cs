using Microsoft.Extensions.Time.Testing;
using SpecSynth.Budget;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;
using SpecSynth.Tests.Providers.Keys;

namespace SpecSynth.Tests.Budget;

/// <summary>Several CLI processes on one state folder: each leases from budget.db, gives its lease back at exit, and together
/// they never spend beyond the daily budget.</summary>
public sealed class BudgetOverProcessesTests
{
    private const long Usd = BudgetMoney.NanosPerUsd;
    private const long Actual = 32_258_400; // the fake reply's cost at claude-sonnet-4-5's prices

    [Fact]
    public async Task CliProcessesOnOneStateFolder_LeaveExactlyTheirCosts_AndNeverExceedTheLimitTogether()
    {
        using var dir = new TempDir();
        await using var server = await FakeProviderServer.StartAsync();
        var claude = ProviderCases.Get("claude");
        server.Router = request => request.Path == claude.ChatPath ? claude.Reply(ModelAnswers.TwoFiles, stream: true) : null;
        dir.Write("specsynth.toml", """
            [retry]
            max_attempts = 1
            continuation_rounds = 0

            [budget]
            daily_usd = 5
            """);
        var spec = dir.Write("spec.md", ModelAnswers.Spec);
        var env = new Dictionary<string, string>
        {
            ["ANTHROPIC_API_KEY"] = claude.Key!,
            ["ANTHROPIC_BASE_URL"] = server.BaseUrl.AbsoluteUri.TrimEnd('/'),
            ["SPECSYNTH_HOME"] = dir.Combine("state"),
            ["HOME"] = dir.Combine("home"),
        };
        Directory.CreateDirectory(dir.Combine("state"));
        var day = $"day:{DateTime.UtcNow:yyyy-MM-dd}";
        Task<(int Code, string Stderr)[]> RunAllAsync(string round) => Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            SharedRedisOverProcessesTests.RunCliAsync(dir.Path, env, "generate", spec, "--out", dir.Combine($"{round}{i}"), "--no-cache")));

        // $5 left: each process's worst case (~$0.24) is below 1/16 of it, so each takes a lease, and gives it back at exit.
        var ample = await RunAllAsync("a");
        Assert.All(ample, r => Assert.True(r.Code == 0, r.Stderr));
        Assert.Equal(4 * Actual, Used(dir, day));

        // $0.30 left: the processes race for it; each is granted or refused as without leases, and the file ends exact.
        var prefill = 5 * Usd - 4 * Actual - 30 * Usd / 100;
        using (var ledger = BudgetLedger.Open(new BudgetOptions { DailyUsd = 5m }, null, dir.Combine("state"), TimeProvider.System, null)!)
        {
            var (held, _) = await ledger.ReserveAsync(prefill, prefill, CancellationToken.None);
            await ledger.SettleAsync(held!, prefill);
        }
        var tight = await RunAllAsync("t");
        Assert.All(tight, r => Assert.True(r.Code is 0 or 6, r.Stderr));
        var succeeded = tight.Count(r => r.Code == 0);
        Assert.InRange(succeeded, 1, 4);
        Assert.Equal(4 * Actual + prefill + succeeded * Actual, Used(dir, day));
        Assert.InRange(Used(dir, day), 0, 5 * Usd);
        Assert.Equal(4 + succeeded, server.Requests.Count(r => r.Path == claude.ChatPath));
    }

    private static long Used(TempDir dir, string day)
    {
        using var store = SqliteBudgetStore.Open(dir.Combine("state", SqliteBudgetStore.FileName), new FakeTimeProvider(DateTimeOffset.UtcNow));
        return store.Used(day);
    }
}
