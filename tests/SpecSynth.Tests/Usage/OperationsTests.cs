using SpecSynth.Tests.Cli;
using SpecSynth.Tests.Cli.Providers;

namespace SpecSynth.Tests.Usage;

/// <summary>Each kind of model call is recorded under its operation: generate and its repair rounds, and a
/// <c>--continue</c> with the compaction of older turns it needed.</summary>
public sealed class OperationsTests
{
    private const string Broken = "namespace Demo;\n\npublic static class Greeter\n{\n    public static string Greet(string name) => $\"Hello, {name}!\"\n";
    private const string Fixed = "namespace Demo;\n\npublic static class Greeter\n{\n    public static string Greet(string name) => $\"Hello, {name}!\";\n}\n";

    [Fact]
    public async Task ARepairRound_IsItsOwnRow_UnderTheSameRunAndSpec()
    {
        await using var h = await CliHarness.StartAsync("claude");
        h.Server.Enqueue(h.Case.Reply(Reply(Broken), stream: true), h.Case.Reply(Reply(Fixed), stream: true));

        var result = await h.RunAsync("generate", h.SpecPath, "--out", h.Out);

        Assert.True(result.ExitCode == 0, result.Error);
        var rows = LedgerOverProvidersTests.Ledger(h);
        Assert.Equal(["generate", "repair"], rows.Select(r => r.Operation));
        Assert.All(rows, r => Assert.Equal("spec.md", r.Spec));
        Assert.Single(rows.Select(r => r.RunId).Distinct());
        Assert.All(rows, r => Assert.Equal(h.Case.ExpectedUsage, r.Tokens));
    }

    [Fact]
    public async Task AContinuation_AndItsCompaction_AreRecorded()
    {
        using var dir = new TempDir();
        var project = dir.Combine("project");
        dir.Write("project/spec.md", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md")));
        var cli = new CliRunner(project, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("state") });
        Assert.Equal(0, (await cli.RunAsync("generate", "spec.md", "--mock-llm", "--out", "out")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("generate", "spec.md", "--mock-llm", "--out", "out", "--continue", "add input validation")).ExitCode);

        var result = await cli.RunAsync("generate", "spec.md", "--mock-llm", "--out", "out", "--continue", "print colours", "--history-budget", "600");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("history: summarised", result.Error, StringComparison.Ordinal);
        using var ledger = new SpecSynth.Usage.UsageLedger(Path.Combine(dir.Combine("state"), SpecSynth.Usage.UsageLedger.FileName));
        var rows = ledger.ReadAll();
        Assert.Equal(["generate", "continuation", "compact", "continuation"], rows.Select(r => r.Operation));
        Assert.All(rows, r => Assert.Equal(("spec.md", "mock", 0m), (r.Spec, r.Provider, r.CostUsd)));
        Assert.Equal(rows[2].RunId, rows[3].RunId);
    }

    private static string Reply(string content) => "```csharp\n// filepath: src/Greeter.cs\n" + content + "```\n";
}
