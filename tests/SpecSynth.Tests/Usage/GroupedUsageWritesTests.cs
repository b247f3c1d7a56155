using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Providers;
using SpecSynth.Tests.Caching;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>The ledger rows and audit lines of concurrent calls, written in groups (issue 19): each call's row and line are
/// on disk when the call returns, nothing is lost or doubled, a cancelled call keeps its row and drops no other's.</summary>
public sealed class GroupedUsageWritesTests : IDisposable
{
    private static readonly ModelInfo Priced = new()
    {
        Id = "model-x",
        Provider = "claude",
        InputPerMillion = 3m,
        OutputPerMillion = 15m,
    };

    private readonly TempDir _dir = new();
    private readonly List<string> _warnings = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private string LedgerPath => _dir.Combine("usage.db");

    private string AuditPath => _dir.Combine("audit.jsonl");

    [Fact]
    public async Task ManyConcurrentCalls_EachRowAndLineOnDiskWhenItsCallReturns_AndTheLedgerExact()
    {
        const int Calls = 400;
        using var client = Client();
        var next = -1;

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            // Another connection, as another process would read the file.
            using var check = new SqliteConnection($"Data Source={LedgerPath};Pooling=False");
            check.Open();
            using var count = check.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM requests WHERE spec = $spec";
            var spec = count.Parameters.Add("$spec", SqliteType.Text);
            for (var i = Interlocked.Increment(ref next); i < Calls; i = Interlocked.Increment(ref next))
            {
                var options = UsageOperations.Tag(new ChatOptions(), UsageOperations.Generate, $"s{i}.md");
                if (i % 2 == 0)
                {
                    await client.GetResponseAsync([new ChatMessage(ChatRole.User, $"prompt {i}")], options);
                }
                else
                {
                    await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, $"prompt {i}")], options))
                    {
                    }
                }
                spec.Value = $"s{i}.md";
                Assert.Equal(1L, count.ExecuteScalar());
                Assert.Contains($"\"spec\":\"s{i}.md\"", await ReadWhileOthersWriteAsync(AuditPath), StringComparison.Ordinal);
            }
        })));

        var rows = new UsageLedger(LedgerPath).ReadAll();
        Assert.Equal(Calls, rows.Count);
        Assert.Equal(Calls, rows.Select(r => r.Spec).Distinct().Count());
        Assert.Equal(Calls * Priced.Cost(new TokenUsage(100, 50)), rows.Sum(r => r.CostUsd));
        var report = new UsageLedger(LedgerPath).Report(null, null, null).Total;
        Assert.Equal((Calls, Calls * 100L, Calls * 50L), (report.Requests, report.InputTokens, report.OutputTokens));
        var lines = File.ReadAllLines(AuditPath);
        Assert.Equal(Calls, lines.Length);
        Assert.Equal(Calls, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("spec").GetString()).Distinct().Count());
        Assert.Empty(_warnings);
    }

    /// <summary>The audit file's text, read while other calls may hold it for their lines (an exclusive <c>flock</c>, which
    /// the runtime's shared lock of a reader cannot take meanwhile): tried again until the writer lets go.</summary>
    private static async Task<string> ReadWhileOthersWriteAsync(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (IOException) when (attempt < 500)
            {
                await Task.Delay(10);
            }
        }
    }

    [Fact]
    public async Task ACancelledCallAmongOthers_KeepsItsRow_AndDropsNoOtherRow()
    {
        using var client = Client();
        using var cancel = new CancellationTokenSource();

        async Task<bool> Call(int i)
        {
            var options = UsageOperations.Tag(new ChatOptions(), UsageOperations.Generate, $"s{i}.md");
            try
            {
                var updates = 0;
                await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, $"p{i}")], options,
                    i == 7 ? cancel.Token : CancellationToken.None))
                {
                    if (i == 7 && ++updates == 2)
                    {
                        await cancel.CancelAsync();
                    }
                }
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => Call(i))));

        Assert.Equal(15, results.Count(ok => ok));
        Assert.False(results[7]);
        var rows = new UsageLedger(LedgerPath).ReadAll();
        Assert.Equal(16, rows.Count);
        Assert.Equal("cancelled", Assert.Single(rows, r => r.Spec == "s7.md").Outcome);
        Assert.All(rows.Where(r => r.Spec != "s7.md"), r => Assert.Equal(("ok", 100L), (r.Outcome, r.Tokens.InputTokens)));
        Assert.Equal(16, File.ReadAllLines(AuditPath).Length);
    }

    [Fact]
    public async Task TwoWritersOfOneStateFolder_AsTwoProcessesHaveThem_LoseNoRowAndTearNoLine()
    {
        // Two clients, each with its own ledger connection and audit log object on the same files: what two processes do.
        using var a = Client("run-a");
        using var b = Client("run-b");

        await Task.WhenAll(new[] { a, b }.SelectMany(client => Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var options = UsageOperations.Tag(new ChatOptions(), UsageOperations.Generate, $"w{w}-{i}.md");
                await client.GetResponseAsync([new ChatMessage(ChatRole.User, new string('x', 3000) + i)], options);
            }
        }))));

        var rows = new UsageLedger(LedgerPath).ReadAll();
        Assert.Equal(2 * 8 * 40, rows.Count);
        Assert.Equal([8 * 40, 8 * 40], rows.GroupBy(r => r.RunId).OrderBy(g => g.Key).Select(g => g.Count()));
        var lines = File.ReadAllLines(AuditPath);
        Assert.Equal(2 * 8 * 40, lines.Length);
        Assert.Equal(2 * 8 * 40, lines.Select(l => JsonDocument.Parse(l).RootElement).Select(e => (e.GetProperty("run_id").GetString(),
            e.GetProperty("spec").GetString())).Distinct().Count());
    }

    private UsageRecordingChatClient Client(string run = "run-1") =>
        new(new StreamingFakeClient(), new UsageLedger(LedgerPath), new AuditLog(AuditPath, "tester@box", includePrompts: false), false,
            new UsageContext(run, "/project"), [new("claude", "model-x", Priced)], _time, _warnings.Add);
}
