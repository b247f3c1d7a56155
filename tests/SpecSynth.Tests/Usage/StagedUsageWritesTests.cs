using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Providers;
using SpecSynth.State;
using SpecSynth.Tests.Caching;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>The audit lines written behind the calls (issue 19): a call waits for its ledger row, not for its line; the file
/// holds the lines once the delay passed or the client is disposed; a line that cannot be written is a warning.</summary>
public sealed class StagedUsageWritesTests : IDisposable
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
    public async Task ACallsRowIsOnDiskWhenItReturns_ItsLineIsStaged_AndInTheFileAfterTheDelay()
    {
        using var client = Client();

        for (var i = 0; i < 3; i++)
        {
            await client.GetResponseAsync([new ChatMessage(ChatRole.User, $"prompt {i}")],
                UsageOperations.Tag(new ChatOptions(), UsageOperations.Generate, $"s{i}.md"));
            // Another connection (as another process) sees the row at once.
            Assert.Equal(i + 1L, CountOnDisk());
        }

        // The lines are staged: not in the file yet.
        Assert.False(File.Exists(AuditPath) && File.ReadAllText(AuditPath).Length > 0);

        // The delay passes: the three lines are written together (by a writer the timer queues).
        _time.Advance(GroupCommit<UsageRecord>.StageDelay);
        await Until(() => File.Exists(AuditPath) && File.ReadAllLines(AuditPath).Length == 3);
        Assert.Equal(["s0.md", "s1.md", "s2.md"], File.ReadAllLines(AuditPath).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("spec").GetString()));
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task DisposingTheClient_WritesTheStagedLines()
    {
        var client = Client();
        var calls = Enumerable.Range(0, 40).Select(i => Task.Run(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, $"p{i}")],
            UsageOperations.Tag(new ChatOptions(), UsageOperations.Generate, $"s{i}.md"))));
        await Task.WhenAll(calls);
        Assert.Equal(40L, CountOnDisk());
        client.Dispose();

        var lines = File.ReadAllLines(AuditPath);
        Assert.Equal(40, lines.Length);
        Assert.Equal(40, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("spec").GetString()).Distinct().Count());
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task AStagedLineThatCannotBeWritten_IsAWarning_AndTheCallSucceeds()
    {
        // A folder where the file should be: it cannot be opened as a file.
        Directory.CreateDirectory(AuditPath);
        using var client = Client();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")], new ChatOptions());
        Assert.NotNull(response);
        _time.Advance(GroupCommit<UsageRecord>.StageDelay);
        await Until(() =>
        {
            lock (_warnings)
            {
                return _warnings.Count == 1;
            }
        });
        Assert.Contains("audit log", _warnings[0], StringComparison.Ordinal);
        Assert.Equal(1L, CountOnDisk());
    }

    /// <summary>Waits (up to 30 s) until <paramref name="done"/>.</summary>
    private static async Task Until(Func<bool> done)
    {
        for (var waited = 0; !done(); waited += 10)
        {
            Assert.True(waited < 30_000, "not done in 30 s");
            await Task.Delay(10);
        }
    }

    private long CountOnDisk()
    {
        if (!File.Exists(LedgerPath))
        {
            return 0;
        }
        using var check = new SqliteConnection($"Data Source={LedgerPath};Pooling=False");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'requests'";
        if ((long)count.ExecuteScalar()! == 0)
        {
            return 0;
        }
        count.CommandText = "SELECT COUNT(*) FROM requests";
        return (long)count.ExecuteScalar()!;
    }

    private UsageRecordingChatClient Client() =>
        new(new StreamingFakeClient(), new UsageLedger(LedgerPath), new AuditLog(AuditPath, "tester@box", includePrompts: false, _time), false,
            new UsageContext("run-1", "/project"), [new("claude", "model-x", Priced)], _time, w =>
            {
                lock (_warnings)
                {
                    _warnings.Add(w);
                }
            });
}
