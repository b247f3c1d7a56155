using System.Text.Json;
using SpecSynth.Tests.Cli;

namespace SpecSynth.Tests.History;

/// <summary><c>generate --continue</c> and <c>specsynth history</c> end to end with the offline mock.</summary>
public sealed class HistoryCliTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CliRunner _cli;
    private readonly string _spec;

    public HistoryCliTests()
    {
        Directory.CreateDirectory(_dir.Combine("project"));
        _spec = _dir.Write("project/spec.md", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "examples", "todo-cli", "spec.md")));
        _cli = new CliRunner(_dir.Combine("project"), new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("state") });
    }

    public void Dispose() => _dir.Dispose();

    private async Task<JsonElement> HistoryJsonAsync(params string[] args)
    {
        var result = await _cli.RunAsync(["history", .. args, "--json"]);
        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        return doc.RootElement.Clone();
    }

    [Fact]
    public async Task Continue_WritesTheChange_AndAppendsTheTurnsToTheSameConversation()
    {
        Assert.Equal(0, (await _cli.RunAsync("generate", "spec.md", "--mock-llm", "--out", "out")).ExitCode);

        var first = await _cli.RunAsync("generate", "spec.md", "--mock-llm", "--out", "out", "--continue", "add input validation");
        var second = await _cli.RunAsync("generate", "./spec.md", "--mock-llm", "--out", "out", "--continue", "print colours", "--json");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("created      CHANGES.md", first.Error, StringComparison.Ordinal);
        Assert.Contains("history: continuing conversation 1 of spec.md (2 earlier turns", first.Error, StringComparison.Ordinal);
        Assert.Contains("history: continuing conversation 1 of spec.md (4 earlier turns", second.Error, StringComparison.Ordinal);
        var changes = File.ReadAllText(_dir.Combine("project", "out", "CHANGES.md"));
        Assert.Contains("1. add input validation\n2. print colours", changes, StringComparison.Ordinal);
        var history = await HistoryJsonAsync();
        var conversation = Assert.Single(history.GetProperty("conversations").EnumerateArray());
        Assert.Equal("spec.md", conversation.GetProperty("spec").GetString());
        using (var json = JsonDocument.Parse(second.Out))
        {
            Assert.Equal(conversation.GetProperty("id").GetInt64(), json.RootElement.GetProperty("conversation_id").GetInt64());
        }
        Assert.Equal("Todo CLI", conversation.GetProperty("title").GetString());
        var turns = conversation.GetProperty("turns").EnumerateArray().ToList();
        Assert.Equal(["user", "assistant", "user", "assistant", "user", "assistant"], turns.Select(t => t.GetProperty("role").GetString()));
        Assert.All(turns.Where(t => t.GetProperty("role").GetString() == "assistant"), t =>
        {
            Assert.Equal("mock", t.GetProperty("provider").GetString());
            Assert.Equal("mock-1", t.GetProperty("model").GetString());
            Assert.True(t.GetProperty("output_tokens").GetInt64() > 0);
            Assert.Contains("src/Program.cs", t.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        });
        Assert.Contains("CHANGES.md", turns[^1].GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.False(turns[0].TryGetProperty("text", out _));
    }

    [Fact]
    public async Task Continue_WithoutAnEarlierGeneration_IsExit2_NamingTheSpec()
    {
        var result = await _cli.RunAsync("generate", "spec.md", "--mock-llm", "--continue", "add input validation");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No earlier generation of spec.md in this project", result.Error, StringComparison.Ordinal);
        Assert.Contains("run 'specsynth generate spec.md' first", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Combine("project", "CHANGES.md")));
    }

    [Fact]
    public async Task Continue_IsPerProject()
    {
        Directory.CreateDirectory(_dir.Combine("other"));
        Assert.Equal(0, (await _cli.RunAsync("generate", "spec.md", "--mock-llm", "--out", "out")).ExitCode);

        var result = await _cli.RunAsync("generate", "spec.md", "--mock-llm", "--project", _dir.Combine("other"), "--out", "out",
            "--continue", "add input validation");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No earlier generation", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("generate", "spec.md", "spec2.md", "--mock-llm", "--continue", "x")]
    [InlineData("generate", "spec.md", "--mock-llm", "--continue", " ")]
    [InlineData("generate", "spec.md", "--mock-llm", "--continue", "x", "--history-budget", "10")]
    public async Task Continue_BadUsage_IsExit2(params string[] args)
    {
        _dir.Write("project/spec2.md", "# Two\n\nSecond.\n");

        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRuns_StoreNothing()
    {
        var dry = await _cli.RunAsync("generate", "spec.md", "--mock-llm", "--dry-run", "--json");

        Assert.Equal(0, dry.ExitCode);
        using (var json = JsonDocument.Parse(dry.Out))
        {
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("conversation_id").ValueKind);
        }

        Assert.Empty((await HistoryJsonAsync()).GetProperty("conversations").EnumerateArray());
        Assert.Equal(2, (await _cli.RunAsync("generate", "spec.md", "--mock-llm", "--continue", "x")).ExitCode);
    }

    [Fact]
    public async Task OverTheHistoryBudget_OlderTurnsAreCompacted_AndTheContinuationStillSucceeds()
    {
        Assert.Equal(0, (await _cli.RunAsync("generate", "spec.md", "--mock-llm", "--out", "out")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("generate", "spec.md", "--mock-llm", "--out", "out", "--continue", "add input validation")).ExitCode);

        var result = await _cli.RunAsync("generate", "spec.md", "--mock-llm", "--out", "out", "--continue", "print colours", "--history-budget", "600");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("history: summarised", result.Error, StringComparison.Ordinal);
        var conversation = Assert.Single((await HistoryJsonAsync()).GetProperty("conversations").EnumerateArray());
        var id = conversation.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var show = await _cli.RunAsync("history", "show", id, "--json");
        using var doc = JsonDocument.Parse(show.Out);
        var turns = doc.RootElement.GetProperty("turns").EnumerateArray().ToList();
        var summary = turns[0];
        Assert.True(summary.GetProperty("summary").GetBoolean());
        var text = summary.GetProperty("text").GetString()!;
        Assert.Contains("src/TodoStore.cs", text, StringComparison.Ordinal);
        Assert.Contains("Instruction: add input validation", text, StringComparison.Ordinal);
        Assert.Single(turns, t => t.GetProperty("summary").GetBoolean());
        Assert.Equal("print colours", turns[^2].GetProperty("text").GetString()!.Split("Instruction: ")[^1]);
        // The instruction compacted into the summary still reaches the model: the mock lists it in CHANGES.md.
        Assert.Contains("1. add input validation\n2. print colours", File.ReadAllText(_dir.Combine("project", "out", "CHANGES.md")),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_ListsShowsAndClears()
    {
        _dir.Write("project/spec2.md", "# Two\n\nA second tool.\n\n## Requirements\n\n- It MUST exist.\n");
        Assert.Equal(0, (await _cli.RunAsync("generate", "spec.md", "--mock-llm", "--out", "out")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("generate", "spec2.md", "--mock-llm", "--out", "out2")).ExitCode);

        var list = await _cli.RunAsync("history");
        var one = await HistoryJsonAsync("spec2.md");
        var show = await _cli.RunAsync("history", "show", one.GetProperty("conversations")[0].GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var missing = await _cli.RunAsync("history", "show", "4242");
        var clear = await _cli.RunAsync("history", "clear", "spec.md", "--json");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("· spec.md · \"Todo CLI\" · 2 turns", list.Out, StringComparison.Ordinal);
        Assert.Contains("· spec2.md · \"Two\" · 2 turns", list.Out, StringComparison.Ordinal);
        Assert.Contains("mock/mock-1", list.Out, StringComparison.Ordinal);
        Assert.Equal(["spec2.md"], one.GetProperty("conversations").EnumerateArray().Select(c => c.GetProperty("spec").GetString()));
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("Generate the code for the specification spec2.md", show.Out, StringComparison.Ordinal);
        Assert.Contains("// filepath:", show.Out, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("There is no conversation 4242", missing.Error, StringComparison.Ordinal);
        Assert.Equal(0, clear.ExitCode);
        using var cleared = JsonDocument.Parse(clear.Out);
        Assert.Equal(1, cleared.RootElement.GetProperty("deleted").GetInt32());
        Assert.Equal(["spec2.md"], (await HistoryJsonAsync()).GetProperty("conversations").EnumerateArray().Select(c => c.GetProperty("spec").GetString()));
    }

    [Fact]
    public async Task History_WithNoStateYet_ListsNothing_AndCreatesNothing()
    {
        var result = await _cli.RunAsync("history");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No conversations", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("state")));
    }
}
