using System.Text.Json;
using Microsoft.Data.Sqlite;
using SpecSynth.Tests.Cli;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>Six real specsynth processes recording into one state folder at once: no ledger row and no audit line is
/// lost or torn, and the database stays sound.</summary>
public sealed class ConcurrentLedgerProcessesTests : IDisposable
{
    private const int Processes = 6;
    private const int SpecsEach = 4;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SixProcesses_RecordEveryRequest_WithoutCorruption()
    {
        var specs = Enumerable.Range(0, SpecsEach).Select(i => _dir.Write($"project/specs/s{i}.md", $"# Feature {i}\n\n## Requirements\n- It MUST do {i}.\n"))
            .ToList();
        var env = new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") };

        var runs = await Task.WhenAll(Enumerable.Range(0, Processes).Select(p => CliProcess.RunAsync(_dir.Combine("project"), env,
            ["generate", .. specs, "--mock-llm", "--dry-run", "--no-cache", "--json", "--concurrency", "4", "--out", _dir.Combine($"out{p}")])));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Error));
        using (var ledger = new UsageLedger(Path.Combine(_dir.Combine("state"), UsageLedger.FileName)))
        {
            var rows = ledger.ReadAll();
            Assert.Equal(Processes * SpecsEach, rows.Count);
            var byRun = rows.GroupBy(r => r.RunId).ToList();
            Assert.Equal(Processes, byRun.Count);
            Assert.All(byRun, run => Assert.Equal(Enumerable.Range(0, SpecsEach).Select(i => $"specs/s{i}.md"), run.Select(r => r.Spec!).Order(StringComparer.Ordinal)));
            Assert.All(rows, r => Assert.Equal(("generate", "mock", "ok"), (r.Operation, r.Provider, r.Outcome)));
        }
        var lines = File.ReadAllLines(Path.Combine(_dir.Combine("state"), AuditLog.FileName));
        Assert.Equal(Processes * SpecsEach, lines.Length);
        Assert.Equal(Processes, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("run_id").GetString()).Distinct().Count());

        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Combine("state"), UsageLedger.FileName)};Pooling=False");
        connection.Open();
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", check.ExecuteScalar());

        var usage = await new CliRunner(_dir.Combine("project"), env).RunAsync("usage", "--by", "spec", "--json");
        using var doc = JsonDocument.Parse(usage.Out);
        Assert.All(doc.RootElement.GetProperty("groups").EnumerateArray(), g => Assert.Equal(Processes, g.GetProperty("requests").GetInt64()));
        Assert.Equal(Processes * SpecsEach, doc.RootElement.GetProperty("total").GetProperty("requests").GetInt64());
    }
}
