using System.Text.Json;
using SpecSynth.Tests.Cli;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>A real specsynth process SIGKILLed while its calls return (issue 19: ledger rows journaled, committed behind):
/// every call whose audit line reached the file (a line is staged only after its row was recorded) has its row once the
/// next reader replayed the dead process's journal, and no row is there twice.</summary>
public sealed class LedgerKillTests : IDisposable
{
    private const int Specs = 200;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Sigkill_WhileCallsReturn_EveryAuditedCallHasItsRow_NoneTwice()
    {
        var specs = Enumerable.Range(0, Specs).Select(i => _dir.Write($"project/specs/s{i:D3}.md", $"# Feature {i}\n\n## Requirements\n- It MUST do {i}.\n"))
            .ToList();
        var state = _dir.Combine("state");
        var audit = Path.Combine(state, AuditLog.FileName);
        var env = new Dictionary<string, string> { ["SPECSYNTH_HOME"] = state };

        using (var running = CliProcess.Start(_dir.Combine("project"), env,
            ["generate", .. specs, "--mock-llm", "--dry-run", "--no-cache", "--concurrency", "8", "--out", _dir.Combine("out")]))
        {
            for (var waited = 0; Lines(audit).Count < 10; waited += 2)
            {
                Assert.True(waited < 60_000 && !running.Process.HasExited, "no audit lines while it ran");
                await Task.Delay(2);
            }
            running.Signal(RunningCli.SigKill);
            await running.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var audited = Lines(audit).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("spec").GetString()!).ToList();
        var rows = new UsageLedger(Path.Combine(state, UsageLedger.FileName)).ReadAll().Select(r => r.Spec!).ToList();
        Assert.True(rows.Count < Specs, "the process was killed before its last call");
        Assert.Equal(rows.Count, rows.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(audited.Except(rows, StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(state, UsageLedger.FileName + UsageJournal.Infix + "*"));
    }

    /// <summary>The complete lines of the audit file (a line being written is left out).</summary>
    private static List<string> Lines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var text = new StreamReader(file).ReadToEnd();
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : [.. text[..end].Split('\n')];
    }
}
