using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CostBench;
using Microsoft.Extensions.AI;
using SpecSynth;
using SpecSynth.Generation;
using SpecSynth.Providers;
using SpecSynth.Projects;
using SpecSynth.Specs;

// Ten specs against one project, sent over the real Anthropic client (SDK + specsynth's provider chain, streaming)
// to a fake server that implements prompt caching honestly, in two layouts:
//   naive:         the prompt as one user text and no cache breakpoint (Anthropic caches nothing without cache_control)
//   cache_friendly: the prompt as the context planner lays it out: system prompt + [project structure] + [project files],
//                   each marked with PromptCaching.MarkBreakpoint, + [spec part]
// Both layouts carry the same text. Prints JSON: billed tokens and USD at the model's list prices.
var repoRoot = FindRepoRoot();
var projectDir = Arg("--project") ?? Path.Combine(repoRoot, "src", "SpecSynth");
var specsDir = Arg("--specs");
var model = Arg("--model") ?? "claude-sonnet-4-5";
var gap = TimeSpan.FromSeconds(double.Parse(Arg("--gap-seconds") ?? "60", CultureInfo.InvariantCulture));

var specs = specsDir is null
    ? BenchSpecs.All.Select(s => (s.Name, Spec: SpecParser.Parse(s.Markdown))).ToList()
    : Directory.EnumerateFiles(specsDir, "*.md").Order(StringComparer.Ordinal).Take(10)
        .Select(f => (Name: Path.GetFileNameWithoutExtension(f), Spec: SpecParser.Parse(File.ReadAllText(f), f))).ToList();
var project = await new ProjectScanner(new ProjectScanOptions()).ScanAsync(projectDir);
var price = ModelCatalog.BuiltIn.Lookup(ProviderIds.Claude, model);

await using var server = await CachingAnthropicServer.StartAsync();
using var client = ProviderClientFactory.Create(new ProviderSettings
{
    Provider = ProviderIds.Claude,
    Model = model,
    ApiKey = "bench-key",
    BaseUrl = server.BaseUrl,
    MaxOutputTokens = 4096,
});

// Every project file counts as related (the bench measures the layout, not the ranking), in path order.
var planner = new LlmCodeGenerator(client, ProviderIds.Claude)
{
    Limits = [new ProviderLimit(ProviderIds.Claude, model, price.ContextWindow, 4096)],
    Ranker = new AllFilesRanker(),
};
var layouts = new Dictionary<string, object>();
var totals = new Dictionary<string, decimal>();
foreach (var layout in new[] { "naive", "cache_friendly" })
{
    server.Reset();
    var watch = Stopwatch.StartNew();
    var usage = TokenUsage.Zero;
    var perSpec = new List<object>();
    foreach (var (name, spec) in specs)
    {
        var prompt = (await planner.PlanContextAsync(spec, project)).Prompt;
        var messages = layout == "naive" ? Naive(prompt.Messages) : prompt.Messages;
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, new ChatOptions()))
        {
            updates.Add(update);
        }
        var used = UsageMapper.FromResponse(updates.ToChatResponse());
        var billed = server.Bills[^1];
        if (used.InputTokens != billed.Input || used.CacheWriteTokens != billed.CacheWrite || used.CacheReadTokens != billed.CacheRead)
        {
            throw new InvalidOperationException($"{name}: the client reported {used}, the server billed {billed}");
        }
        usage += used;
        perSpec.Add(new { spec = name, input_tokens = used.InputTokens, cache_write_tokens = used.CacheWriteTokens, cache_read_tokens = used.CacheReadTokens });
        server.Now += gap;
    }
    var inputCost = InputCost(usage);
    totals[layout] = inputCost;
    layouts[layout] = new
    {
        requests = specs.Count,
        prompt_tokens = usage.InputTokens + usage.CacheWriteTokens + usage.CacheReadTokens,
        input_tokens = usage.InputTokens,
        cache_write_tokens = usage.CacheWriteTokens,
        cache_read_tokens = usage.CacheReadTokens,
        billed_input_token_equivalent = usage.InputTokens + (1.25m * usage.CacheWriteTokens) + (0.1m * usage.CacheReadTokens),
        input_cost_usd = Math.Round(inputCost, 6),
        output_cost_usd = Math.Round(usage.OutputTokens * price.OutputPerMillion / 1_000_000m, 6),
        elapsed_ms = watch.ElapsedMilliseconds,
        per_spec = perSpec,
    };
}

var report = new
{
    project = Path.GetRelativePath(repoRoot, projectDir),
    project_files = project.Files.Count,
    specs = specsDir is null ? "bench/CostBench/BenchSpecs.cs" : specsDir,
    model,
    prices_per_million = new { input = price.InputPerMillion, cache_write = price.CacheWritePerMillion, cache_read = price.CacheReadPerMillion, output = price.OutputPerMillion },
    gap_seconds = gap.TotalSeconds,
    cache_ttl_seconds = CachingAnthropicServer.Ttl.TotalSeconds,
    tokenizer_stand_in = "o200k_base",
    layouts,
    input_cost_ratio = Math.Round(totals["cache_friendly"] / totals["naive"], 4),
    target_ratio = 0.35,
    target_met = totals["cache_friendly"] / totals["naive"] <= 0.35m,
};
Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
return 0;

decimal InputCost(TokenUsage u) =>
    ((u.InputTokens * price.InputPerMillion) + (u.CacheWriteTokens * price.CacheWritePerMillion) + (u.CacheReadTokens * price.CacheReadPerMillion)) / 1_000_000m;

// The same text as one user block without cache marks (Anthropic caches nothing without cache_control).
static IReadOnlyList<ChatMessage> Naive(IReadOnlyList<ChatMessage> messages) =>
    [.. messages.Select(m => new ChatMessage(m.Role, string.Concat(m.Contents.OfType<TextContent>().Select(t => t.Text))))];

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "specsynth.slnx")))
    {
        dir = dir.Parent;
    }
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
