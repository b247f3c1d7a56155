using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>The ledger rows journaled and committed behind (issue 19): a row recorded is in the journal beside
/// <c>usage.db</c> when <see cref="UsageLedger.Record"/> returns; a ledger whose process dies before the commit (what a
/// SIGKILL leaves: <see cref="UsageLedger.Kill"/>) has its rows replayed exactly once by the next open, a torn last record
/// ignored; a live owner's journal is never replayed.</summary>
public sealed class UsageJournalTests : IDisposable
{
    private readonly TempDir _dir = new();

    /// <summary>A clock that never moves: nothing staged is committed by the stage timer, only by a flush.</summary>
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private string LedgerPath => _dir.Combine("state", UsageLedger.FileName);

    [Fact]
    public void KilledBeforeTheCommit_TheNextOpenHasExactlyTheRows()
    {
        var ledger = new UsageLedger(LedgerPath, _time);
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(ledger.Record(Row(i), Fail));
        }
        ledger.Kill();

        // Nothing of it is in usage.db: without the journal the five rows would be lost.
        Assert.Equal(0, CountInDatabase());
        Assert.Single(Journals());

        using var next = new UsageLedger(LedgerPath, _time);
        Assert.Equal(["s0.md", "s1.md", "s2.md", "s3.md", "s4.md"], next.ReadAll().Select(r => r.Spec));
        Assert.Empty(Journals());
        Assert.Equal(0, Marks());

        // Read again (another replay finds nothing): the same rows.
        Assert.Equal(5, new UsageLedger(LedgerPath).ReadAll().Count);
    }

    [Fact]
    public async Task TheReplayedRow_HasEveryValueOfTheRecordedOne()
    {
        var ledger = new UsageLedger(LedgerPath, _time);
        var row = Row(7) with
        {
            KeyAlias = "ANTHROPIC_API_KEY",
            Project = null,
            Tokens = new TokenUsage(1234, 567, 89, 10),
            CostUsd = 0.012345m,
            TimeToFirstToken = TimeSpan.FromMilliseconds(12.5),
            Retries = 2,
            Outcome = "provider_unavailable",
            CacheHit = true,
            Streamed = true,
        };
        Assert.Null(ledger.Record(row, Fail));
        ledger.Kill();

        using var direct = new UsageLedger(_dir.Combine("direct", UsageLedger.FileName));
        await direct.AppendAsync(row);

        Assert.Equal(direct.ReadAll().Single(), new UsageLedger(LedgerPath).ReadAll().Single());
    }

    [Fact]
    public void ATornLastRecord_IsIgnored_TheOnesBeforeAreKept()
    {
        var ledger = new UsageLedger(LedgerPath, _time);
        for (var i = 0; i < 4; i++)
        {
            Assert.Null(ledger.Record(Row(i), Fail));
        }
        ledger.Kill();
        var journal = Assert.Single(Journals());
        using (var file = new FileStream(journal, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            file.SetLength(file.Length - 3);
        }

        Assert.Equal(["s0.md", "s1.md", "s2.md"], new UsageLedger(LedgerPath).ReadAll().Select(r => r.Spec));
        Assert.Empty(Journals());
    }

    [Fact]
    public void AFlippedByte_EndsTheJournalThere()
    {
        var ledger = new UsageLedger(LedgerPath, _time);
        for (var i = 0; i < 4; i++)
        {
            Assert.Null(ledger.Record(Row(i), Fail));
        }
        ledger.Kill();
        var journal = Assert.Single(Journals());
        var bytes = File.ReadAllBytes(journal);
        // A byte in the middle of the third record's body.
        var third = bytes.Length / 4 * 2 + bytes.Length / 8;
        bytes[third] ^= 0x5A;
        File.WriteAllBytes(journal, bytes);

        Assert.Equal(["s0.md", "s1.md"], new UsageLedger(LedgerPath).ReadAll().Select(r => r.Spec));
    }

    [Fact]
    public void KilledAfterPartOfTheJournalWasCommitted_TheReplayAddsOnlyTheRest()
    {
        var ledger = new UsageLedger(LedgerPath, _time);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(ledger.Record(Row(i), Fail));
        }
        // A read in this process commits what is staged (with the journal's mark in the same transaction).
        Assert.Equal(3, new UsageLedger(LedgerPath).ReadAll().Count);
        Assert.Equal(3, CountInDatabase());
        for (var i = 3; i < 5; i++)
        {
            Assert.Null(ledger.Record(Row(i), Fail));
        }
        ledger.Kill();
        Assert.Equal(3, CountInDatabase());

        Assert.Equal(["s0.md", "s1.md", "s2.md", "s3.md", "s4.md"], new UsageLedger(LedgerPath).ReadAll().Select(r => r.Spec));
        Assert.Empty(Journals());
    }

    [Fact]
    public async Task ALiveOwnersJournal_IsNotReplayed_ItsOwnerCommitsIt()
    {
        using var owner = new UsageLedger(LedgerPath, _time);
        for (var i = 0; i < 2; i++)
        {
            Assert.Null(owner.Record(Row(i), Fail));
        }

        // Another ledger (as another process) opens the file and appends: the owner's journal is locked, left alone.
        using (var other = new UsageLedger(LedgerPath))
        {
            await other.AppendAsync(Row(9));
        }
        Assert.Equal(1, CountInDatabase());
        Assert.Single(Journals());

        owner.Dispose();
        Assert.Equal(3, CountInDatabase());
        Assert.Empty(Journals());
        Assert.Equal(0, Marks());
    }

    [Fact]
    public void TwoLedgersOfOneFile_EachKilled_BothReplayedOnce()
    {
        var first = new UsageLedger(LedgerPath, _time);
        var second = new UsageLedger(LedgerPath, _time);
        for (var i = 0; i < 6; i++)
        {
            Assert.Null((i % 2 == 0 ? first : second).Record(Row(i), Fail));
        }
        first.Kill();
        second.Kill();
        Assert.Equal(2, Journals().Count);

        var rows = new UsageLedger(LedgerPath).ReadAll();
        Assert.Equal(["s0.md", "s1.md", "s2.md", "s3.md", "s4.md", "s5.md"], rows.Select(r => r.Spec).Order(StringComparer.Ordinal));
        Assert.Empty(Journals());
    }

    [Fact]
    public async Task WithoutAClock_TheRowIsCommittedOnceTheReturnedWaitEnds()
    {
        using var ledger = new UsageLedger(LedgerPath);
        var wait = ledger.Record(Row(0), Fail);
        Assert.NotNull(wait);
        await wait;
        Assert.Equal(1, CountInDatabase());
        Assert.Empty(Journals());
    }

    private static void Fail(Exception ex) => Assert.Fail("a staged row failed: " + ex);

    private List<string> Journals() =>
        Directory.Exists(Path.GetDirectoryName(LedgerPath))
            ? [.. Directory.EnumerateFiles(Path.GetDirectoryName(LedgerPath)!, UsageLedger.FileName + UsageJournal.Infix + "*")]
            : [];

    private long CountInDatabase() => Scalar("SELECT COUNT(*) FROM requests");

    private long Marks() => Scalar("SELECT COUNT(*) FROM journal_marks");

    private long Scalar(string sql)
    {
        if (!File.Exists(LedgerPath))
        {
            return 0;
        }
        using var connection = new SqliteConnection($"Data Source={LedgerPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private UsageRecord Row(int i) => new()
    {
        Time = _time.GetUtcNow().AddSeconds(i),
        RunId = "run-1",
        Operation = UsageOperations.Generate,
        Spec = $"s{i}.md",
        Project = "/project",
        Provider = "openai",
        Model = "gpt-x",
        Tokens = new TokenUsage(100 + i, 10, 0, 0),
        CostUsd = 0.001m * i,
        Latency = TimeSpan.FromMilliseconds(3 + i),
        Outcome = "ok",
    };
}
