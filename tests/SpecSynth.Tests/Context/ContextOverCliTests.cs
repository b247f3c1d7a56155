using System.Text.Json;
using SpecSynth.Context.Tokens;
using SpecSynth.Tests.Cli;
using SpecSynth.Tests.Cli.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Context;

/// <summary><c>specsynth context</c>, and the planned prompt as the providers receive it over the fake servers.</summary>
public sealed class ContextOverCliTests
{
    [Fact]
    public async Task ContextJson_HasTheDocumentedShape_AndCallsNoModel()
    {
        using var dir = new TempDir();
        dir.Write("spec.md", "# Todo\n\n## Requirements\n- The CLI MUST add todos.\n");
        dir.Write("src/App.cs", "class App {}\n");
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("home") });

        var result = await cli.RunAsync("context", "spec.md", "--provider", "mock", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("spec.md", root.GetProperty("spec").GetString());
        var budget = root.GetProperty("budget");
        Assert.Equal("mock", budget.GetProperty("provider").GetString());
        Assert.Equal(200_000, budget.GetProperty("context_window").GetInt32());
        Assert.Equal(8192, budget.GetProperty("reply_reservation").GetInt32());
        Assert.Equal(2000, budget.GetProperty("margin").GetInt32());
        Assert.Equal(200_000 - 8192 - 2000, budget.GetProperty("prompt_limit").GetInt32());
        Assert.False(budget.GetProperty("exact_count").GetBoolean());
        var total = root.GetProperty("total_tokens").GetInt32();
        Assert.InRange(total, 1, budget.GetProperty("prompt_limit").GetInt32());
        Assert.True(root.GetProperty("template_tokens").GetInt32() > 0);
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("specification", items[0].GetProperty("kind").GetString());
        Assert.Equal("whole", items[0].GetProperty("state").GetString());
        Assert.Contains(items, i => i.GetProperty("kind").GetString() == "project_tree" && i.GetProperty("tokens").GetInt32() > 0);
        Assert.All(items, i => Assert.Equal(JsonValueKind.Array, i.GetProperty("reasons").ValueKind));
        Assert.Equal(root.GetProperty("item_tokens").GetInt32(), items.Sum(i => i.GetProperty("tokens").GetInt32()));
        Assert.Single(root.GetProperty("providers").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("messages").ValueKind);
        Assert.True(root.GetProperty("cache_breakpoints").GetInt32() >= 1);
    }

    [Fact]
    public async Task Context_ReportsTheSpecsError_BeforeTheProjectFolders_ThoughTheWalkStartsFirst()
    {
        using var dir = new TempDir();
        dir.Write("spec.md", "# Todo\n\n## Requirements\n- The CLI MUST add todos.\n");
        dir.Write("out.txt", "not a folder\n");
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("home") });

        var missingSpec = await cli.RunAsync("context", "missing.md", "--out", "out.txt", "--provider", "mock");
        var fileAsFolder = await cli.RunAsync("context", "spec.md", "--out", "out.txt", "--provider", "mock");

        Assert.Equal(2, missingSpec.ExitCode);
        Assert.Contains("was not found", missingSpec.Error + missingSpec.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("is a file", missingSpec.Error + missingSpec.Out, StringComparison.Ordinal);
        Assert.Equal(2, fileAsFolder.ExitCode);
        Assert.Contains($"--out {dir.Combine("out.txt")} is a file", fileAsFolder.Error + fileAsFolder.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_ForARemoteProvider_NeedsNoKey_UnlessExactTokens()
    {
        using var dir = new TempDir();
        dir.Write("spec.md", "# Todo\n\nAdd todos.\n");
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("home") });

        var text = await cli.RunAsync("context", "spec.md", "--provider", "claude");
        var exact = await cli.RunAsync("context", "spec.md", "--provider", "claude", "--exact-tokens");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("claude claude-sonnet-4-5, budget 182,000 tokens (context window 200,000 − reply 16,000 − margin 2,000)", text.Out,
            StringComparison.Ordinal);
        Assert.Contains("whole", text.Out, StringComparison.Ordinal);
        Assert.Matches(@"total [\d,]+ of 182,000 tokens", text.Out);
        Assert.Equal(3, exact.ExitCode);
        Assert.Contains("ANTHROPIC_API_KEY", exact.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_WithABudgetTheSpecDoesNotFit_IsExit2_NamingTheNumbers()
    {
        using var dir = new TempDir();
        dir.Write("spec.md", "# Todo\n\nAdd todos.\n");
        var cli = new CliRunner(dir.Path, new Dictionary<string, string> { ["SPECSYNTH_HOME"] = dir.Combine("home") });

        var result = await cli.RunAsync("context", "spec.md", "--mock-llm", "--budget", "100", "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("The specification alone needs", result.Out, StringComparison.Ordinal);
        Assert.Contains("only 100 tokens", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePromptContextReports_IsExactlyWhatTheProviderReceives_WithCacheControlOnTheStablePrefix()
    {
        await using var h = await CliHarness.StartAsync("claude");
        AddFiles(h, 300);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var planned = await h.RunAsync("context", h.SpecPath, "--json", "--show-prompt");
        var generated = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.True(planned.ExitCode == 0, planned.Error);
        Assert.True(generated.ExitCode == 0, generated.Error);
        using var doc = JsonDocument.Parse(planned.Out);
        var messages = doc.RootElement.GetProperty("messages").EnumerateArray().ToList();
        var body = Assert.Single(h.ChatRequests).Json;
        Assert.Equal(Text(messages[0]), h.Case.SystemPrompt(body));
        Assert.Equal(Text(messages[1]), h.Case.UserPrompt(body));
        // The user message goes as its text blocks; the project structure (long enough to cache) carries cache_control.
        var blocks = body.GetProperty("messages")[0].GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(messages[1].GetProperty("contents").GetArrayLength(), blocks.Count);
        Assert.True(blocks[0].TryGetProperty("cache_control", out var control), blocks[0].ToString());
        Assert.Equal("ephemeral", control.GetProperty("type").GetString());
        Assert.False(blocks[^1].TryGetProperty("cache_control", out _));
        Assert.Contains("src/gen/File299.cs", blocks[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("<specification", blocks[^1].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptTooLong_ShrinksTheBudget_AndRetriesOnce()
    {
        await using var h = await CliHarness.StartAsync("claude");
        AddFiles(h, 400);
        ResilienceOverProvidersTests.CountTokens(h);
        h.Server.Enqueue(h.Case.Error(400, "prompt is too long: 250000 tokens > 200000 maximum", "invalid_request_error"));
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("retrying once with less project context (a budget of", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, h.ChatRequests.Count);
        var first = h.Case.UserPrompt(h.ChatRequests[0].Json);
        var second = h.Case.UserPrompt(h.ChatRequests[1].Json);
        Assert.Contains("src/gen/File399.cs", first, StringComparison.Ordinal);
        Assert.DoesNotContain("more files", first, StringComparison.Ordinal);
        Assert.Matches(@"… and \d+ more files", second);
        Assert.True(second.Length < first.Length * 0.8, $"{second.Length} vs {first.Length}");
        Assert.Contains("<specification", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChainWithA4kOllamaFallback_IsPlannedForTheTightestWindow()
    {
        await using var h = await CliHarness.StartAsync("claude");
        await using var ollama = await FakeProviderServer.StartAsync();
        ollama.Router = r => r.Path switch
        {
            "/api/tags" => OllamaWire.Tags(OllamaCase.Model),
            "/api/show" => OllamaWire.Show("qwen2", 4096),
            _ => null,
        };
        h.Cli.Env["OLLAMA_HOST"] = $"{ollama.BaseUrl.Host}:{ollama.BaseUrl.Port}";
        AddFiles(h, 400);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var result = await h.Cli.RunAsync("generate", h.SpecPath, "--project", h.Project, "--out", h.Out, "--json", "--provider", "claude,ollama");

        Assert.True(result.ExitCode == 0, result.Error);
        var body = Assert.Single(h.ChatRequests).Json;
        var user = h.Case.UserPrompt(body);
        Assert.Matches(@"… and \d+ more files", user);
        // What Claude received fits the 4k Ollama model: window 4096 − reply 2048 (half the window) − margin 64.
        var messages = new List<Microsoft.Extensions.AI.ChatMessage>
        {
            new(Microsoft.Extensions.AI.ChatRole.System, h.Case.SystemPrompt(body)),
            new(Microsoft.Extensions.AI.ChatRole.User, user),
        };
        var ollamaCount = new PromptTokenCounter(TokenCounters.For("ollama", OllamaCase.Model, null)).Estimate(messages);
        Assert.True(ollamaCount <= 4096 - 2048 - 64, $"{ollamaCount} tokens");
    }

    private static void AddFiles(CliHarness h, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(h.Project, "src", "gen", $"File{i}.cs");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"class File{i} {{}}\n");
        }
    }

    private static string Text(JsonElement message) =>
        string.Concat(message.GetProperty("contents").EnumerateArray().Select(c => c.GetProperty("text").GetString()));
}
