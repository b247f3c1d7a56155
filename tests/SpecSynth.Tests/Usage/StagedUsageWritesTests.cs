using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Providers;
using SpecSynth.State;
using SpecSynth.Tests.Caching;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>The ledger rows and audit lines written behind the calls (issue 19): a call does not wait for them; a reader of
/// the ledger in this process sees every row its calls produced; the files hold them once the delay passed or the client
/// is disposed; a row or line that cannot be written is a warning.</summary>
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
    public async Task ACallsRowAndLine_AreStaged_SeenByThisProcesssReaders_AndInTheFilesAfterTheDelay()
    {
        using var client = Client();

        for (var i = 0; i < 3; i++)
        {
            await client.GetResponseAsync([new ChatMessage(ChatRole.User, $"prompt {i}")],
                UsageOperations.Tag(new ChatOptions(), UsageOperations.Generate, $"s{i}.md"));
        }

        // Staged: another connection (as another process) does not see them yet, nor is the line in the file.
        Assert.Equal(0L, CountOnDisk());
        Assert.False(File.Exists(AuditPath) && File.ReadAllText(AuditPath).Length > 0);

        // The delay passes: the three rows and lines are written together (by a writer the timer queues).
        _time.Advance(GroupCommit<UsageRecord>.StageDelay);
        await Until(() => CountOnDisk() == 3 && File.Exists(AuditPath) && File.ReadAllLines(AuditPath).Length == 3);
        Assert.Equal(["s0.md", "s1.md", "s2.md"], File.ReadAllLines(AuditPath).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("spec").GetString()));
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task AReportOrReadOfTheLedgerInThisProcess_SeesEveryRowItsCallsProduced_WithoutTheDelay()
    {
        using var client = Client();
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "one")], UsageOperations.Tag(new ChatOptions(), UsageOperations.Generate, "a.md"));
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "two")],
            UsageOperations.Tag(new ChatOptions(), UsageOperations.Generate, "b.md")))
        {
        }
        Assert.Equal(0L, CountOnDisk());

        // Another ledger object of the same file (what `specsynth usage` and the MCP tool use), by another spelling of its path.
        var report = new UsageLedger(Path.Combine(_dir.Path, ".", "usage.db")).Report(null, null, null).Total;
        Assert.Equal((2L, 200L, 100L), (report.Requests, report.InputTokens, report.OutputTokens));
        Assert.Equal(2L, CountOnDisk());

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "three")], UsageOperations.Tag(new ChatOptions(), UsageOperations.Generate, "c.md"));
        Assert.Equal(["a.md", "b.md", "c.md"], new UsageLedger(LedgerPath).ReadAll().Select(r => r.Spec));
    }

    [Fact]
    public async Task DisposingTheClient_WritesWhatIsStaged()
    {
        var client = Client();
        var calls = Enumerable.Range(0, 40).Select(i => Task.Run(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, $"p{i}")],
            UsageOperations.Tag(new ChatOptions(), UsageOperations.Generate, $"s{i}.md"))));
        await Task.WhenAll(calls);
        client.Dispose();

        Assert.Equal(40L, CountOnDisk());
        var lines = File.ReadAllLines(AuditPath);
        Assert.Equal(40, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("spec").GetString()).Distinct().Count());
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task AStagedRowOrLineThatCannotBeWritten_IsAWarning_AndTheCallSucceeds()
    {
        // Folders where the files should be: neither can be opened as a file.
        Directory.CreateDirectory(LedgerPath);
        Directory.CreateDirectory(AuditPath);
        using var client = Client();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")], new ChatOptions());
        Assert.NotNull(response);
        _time.Advance(GroupCommit<UsageRecord>.StageDelay);
        await Until(() =>
        {
            lock (_warnings)
            {
                return _warnings.Count == 2;
            }
        });

        Assert.Contains(_warnings, w => w.Contains("usage ledger", StringComparison.Ordinal));
        Assert.Contains(_warnings, w => w.Contains("audit log", StringComparison.Ordinal));
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
        new(new StreamingFakeClient(), new UsageLedger(LedgerPath, _time), new AuditLog(AuditPath, "tester@box", includePrompts: false, _time), false,
            new UsageContext("run-1", "/project"), [new("claude", "model-x", Priced)], _time, w =>
            {
                lock (_warnings)
                {
                    _warnings.Add(w);
                }
            });
}
