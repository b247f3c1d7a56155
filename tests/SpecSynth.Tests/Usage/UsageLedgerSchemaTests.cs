using System.Globalization;
using Microsoft.Data.Sqlite;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>The ledger's schema (one page per row: no <c>AUTOINCREMENT</c>, no time index), the migration of a ledger
/// written by earlier versions, and rows appended by many threads at once.</summary>
public sealed class UsageLedgerSchemaTests : IDisposable
{
    /// <summary>The schema of earlier versions, as they created it.</summary>
    private const string EarlierSchema = """
        CREATE TABLE requests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            run_id TEXT NOT NULL,
            operation TEXT NOT NULL,
            spec TEXT,
            project TEXT,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            key_alias TEXT,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_write_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            latency_ms REAL NOT NULL,
            ttft_ms REAL,
            retries INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            cache_hit INTEGER NOT NULL,
            streamed INTEGER NOT NULL
        );
        CREATE INDEX requests_time ON requests (time);
        """;

    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DbPath => _dir.Combine("usage.db");

    [Fact]
    public async Task AnEarlierLedger_IsMigratedByItsFirstAppend_KeepingEveryRowAndId_AndNewRowsFollow()
    {
        WriteEarlierLedger();

        using (var ledger = new UsageLedger(DbPath))
        {
            await ledger.AppendAsync(Record("new-run", "d.md", T0.AddHours(1)));
            var rows = ledger.ReadAll();
            Assert.Equal(["a.md", "b.md", "c.md", "d.md"], rows.Select(r => r.Spec));
            Assert.Equal([0.5m, 0.25m, 1.0m], rows.Take(3).Select(r => r.CostUsd));
            Assert.All(rows.Take(3), r => Assert.Equal(("old-run", 100L, 20L, 1, TimeSpan.FromMilliseconds(12.5)),
                (r.RunId, r.Tokens.InputTokens, r.Tokens.OutputTokens, r.Retries, r.Latency)));
            var report = ledger.Report(T0.AddMinutes(2), UsageGrouping.Spec, null);
            Assert.Equal(["b.md", "c.md", "d.md"], report.Groups.Select(g => g.Key));
        }

        using var check = Connect();
        Assert.Equal([1L, 2L, 7L, 8L], Longs(check, "SELECT id FROM requests ORDER BY id"));
        Assert.Equal(0L, Longs(check, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'requests_time'").Single());
        Assert.DoesNotContain("AUTOINCREMENT", Text(check, "SELECT sql FROM sqlite_master WHERE name = 'requests'"), StringComparison.Ordinal);
        Assert.Equal("ok", Text(check, "PRAGMA integrity_check"));
    }

    [Fact]
    public void ReadingAnEarlierLedger_WorksAndLeavesItAsItIs()
    {
        WriteEarlierLedger();

        using (var ledger = new UsageLedger(DbPath))
        {
            Assert.Equal(["a.md", "b.md", "c.md"], ledger.ReadAll().Select(r => r.Spec));
            Assert.Equal(3, ledger.Report(T0.AddMinutes(1), UsageGrouping.Spec, null).Total.Requests);
        }

        using var check = Connect();
        Assert.Equal(1L, Longs(check, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'requests_time'").Single());
        Assert.Contains("AUTOINCREMENT", Text(check, "SELECT sql FROM sqlite_master WHERE name = 'requests'"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATimeIndexRecreatedByAnOlderVersion_IsDroppedByTheNextAppend_AndTheRowsStay()
    {
        using (var ledger = new UsageLedger(DbPath))
        {
            await ledger.AppendAsync(Record("run-1", "a.md", T0));
        }
        using (var old = Connect())
        {
            Run(old, "CREATE INDEX IF NOT EXISTS requests_time ON requests (time);");
            Run(old, $"INSERT INTO requests (time, run_id, operation, provider, model, input_tokens, output_tokens, cache_write_tokens, cache_read_tokens, " +
                $"cost_usd, latency_ms, retries, outcome, cache_hit, streamed) VALUES ('{UsageLedger.Stamp(T0.AddMinutes(1))}', 'run-old', 'generate', " +
                "'openai', 'gpt-4o', 1, 1, 0, 0, 0, 1, 0, 'ok', 0, 0)");
        }

        using (var ledger = new UsageLedger(DbPath))
        {
            await ledger.AppendAsync(Record("run-2", "b.md", T0.AddMinutes(2)));
            Assert.Equal(["run-1", "run-old", "run-2"], ledger.ReadAll().Select(r => r.RunId));
        }

        using var check = Connect();
        Assert.Equal(0L, Longs(check, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'").Single());
    }

    [Fact]
    public async Task ANewLedger_HasOneTableWithoutAutoincrementOrIndex()
    {
        using (var ledger = new UsageLedger(DbPath))
        {
            await ledger.AppendAsync(Record("run-1", "a.md", T0));
        }
        using var check = Connect();
        Assert.Equal(["requests"], Texts(check, "SELECT name FROM sqlite_master ORDER BY name"));
        Assert.DoesNotContain("AUTOINCREMENT", Text(check, "SELECT sql FROM sqlite_master WHERE name = 'requests'"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SixteenThreads_EveryRowCommittedBeforeItsAppendReturns_NoneLostOrDuplicated()
    {
        const int Threads = 16;
        const int Each = 150;
        using var ledger = new UsageLedger(DbPath);
        await ledger.AppendAsync(Record("warm-up", "w.md", T0));

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(async () =>
        {
            // Another connection, as another process would read the file: the row must be there once Append returns.
            using var reader = Connect();
            using var count = reader.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM requests WHERE run_id = $run AND spec = $spec";
            count.Parameters.AddWithValue("$run", $"run-{t}");
            var spec = count.Parameters.Add("$spec", SqliteType.Text);
            for (var i = 0; i < Each; i++)
            {
                await ledger.AppendAsync(Record($"run-{t}", $"s{i}.md", T0.AddSeconds(i)));
                spec.Value = $"s{i}.md";
                Assert.Equal(1L, count.ExecuteScalar());
            }
        })));

        var rows = ledger.ReadAll();
        Assert.Equal(1 + Threads * Each, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => (r.RunId, r.Spec)).Distinct().Count());
        using var check = Connect();
        Assert.Equal("ok", Text(check, "PRAGMA integrity_check"));
    }

    [Fact]
    public async Task ARowThatCannotBeWritten_FailsOnlyItsOwnAppend_UnderConcurrency()
    {
        using var ledger = new UsageLedger(DbPath);
        await ledger.AppendAsync(Record("warm-up", "w.md", T0));
        var failures = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                // Every tenth row of thread 0 breaks a NOT NULL column: its insert cannot commit; the other threads' rows do.
                var bad = t == 0 && i % 10 == 0;
                var record = Record($"run-{t}", $"s{i}.md", T0) with { Model = bad ? null! : "gpt-4o" };
                if (bad)
                {
                    var ex = await Assert.ThrowsAsync<SqliteException>(() => ledger.AppendAsync(record));
                    Assert.Equal(19, ex.SqliteErrorCode); // SQLITE_CONSTRAINT, as the lone insert gives
                    Interlocked.Increment(ref failures);
                }
                else
                {
                    await ledger.AppendAsync(record);
                }
            }
        })));

        Assert.Equal(10, failures);
        Assert.Equal(1 + 8 * 100 - 10, ledger.ReadAll().Count);
    }

    /// <summary>A ledger as earlier versions left it: rows a.md, b.md, c.md with ids 1, 2, 7 (id 9 deleted).</summary>
    private void WriteEarlierLedger()
    {
        using var old = Connect();
        Run(old, "PRAGMA journal_mode = WAL;" + EarlierSchema);
        // Ids as AUTOINCREMENT left them: a gap before 7, and 9 deleted (the next row takes 8: still after every kept row).
        foreach (var (id, spec, cost) in new[] { (1, "a.md", 0.5), (2, "b.md", 0.25), (7, "c.md", 1.0), (9, "gone.md", 3.0) })
        {
            Run(old, $"""
                INSERT INTO requests VALUES ({id}, '{UsageLedger.Stamp(T0.AddMinutes(id))}', 'old-run', 'generate', '{spec}', '/p',
                    'openai', 'gpt-4o', 'OPENAI_API_KEY', 100, 20, 0, 0, {cost.ToString(CultureInfo.InvariantCulture)}, 12.5, NULL, 1, 'ok', 0, 1)
                """);
        }
        Run(old, "DELETE FROM requests WHERE id = 9;");
    }

    private static UsageRecord Record(string run, string spec, DateTimeOffset time) => new()
    {
        Time = time,
        RunId = run,
        Operation = "generate",
        Spec = spec,
        Project = "/p",
        Provider = "openai",
        Model = "gpt-4o",
        Tokens = new(10, 2, 0, 0),
        CostUsd = 0.01m,
        Latency = TimeSpan.FromMilliseconds(5),
        Outcome = "ok",
    };

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        Run(connection, "PRAGMA busy_timeout = 30000;");
        return connection;
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Text(SqliteConnection connection, string sql) => Texts(connection, sql).Single();

    private static List<string> Texts(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    private static List<long> Longs(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<long>();
        while (reader.Read())
        {
            values.Add(reader.GetInt64(0));
        }
        return values;
    }
}
