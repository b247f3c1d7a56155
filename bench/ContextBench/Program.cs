using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ContextBench;
using SpecSynth.Context;
using SpecSynth.Context.Relevance;
using SpecSynth.Generation;
using SpecSynth.Providers;
using SpecSynth.Providers.Mock;
using SpecSynth.Projects;
using SpecSynth.Specs;

// Scan + rank + count + pack a large tree into a token budget, per spec: iteration 1 in a fresh process is "cold"
// (JIT, tokenizer load, first reads), iteration 2 is "warm". Prints JSON with the phases, the packed files and the
// process's peak working set. The tree is scanned paths-and-sizes only; the ranker streams contents; the planner reads
// (redacted) and counts only the files it packs. Public API only: the scanner, the built-in ranker and the generator's
// context planning (LlmCodeGenerator.PlanContextAsync, what `specsynth context` shows), with exact (o200k) counts.
var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
var root = Arg("--root", "/work/bigrepo/node");
var iterations = int.Parse(Arg("--iterations", "2"), CultureInfo.InvariantCulture);
var budget = int.Parse(Arg("--budget", "128000"), CultureInfo.InvariantCulture);
var only = Arg("--spec", "");
// --dump-ranked FILE: appends every ranked file (spec, path, score, reasons) of iteration 1, to check that a change to
// the ranker's speed leaves what it ranks unchanged (diff two dumps).
var dump = Arg("--dump-ranked", "");
// --index DIR: rank through the persistent context index kept under the state folder DIR (as `specsynth context` does
// with its state folder); the first ranking of a tree writes it, later ones (in this or another process) read it.
// --touch N: changes N files of the tree (appends a line to each; use a copy of the tree), prints their paths and exits.
// Time the warm run after it as a plain run (`--index DIR`): picking the files walks the whole tree once more, which is
// the benchmark's set-up, not what specsynth pays for ten changed files (it was timed with the run until stop 16).
var indexDir = Arg("--index", "");
var touch = int.Parse(Arg("--touch", "0"), CultureInfo.InvariantCulture);
var specs = BenchSpecs.All.Where((s, i) => only.Length == 0 || only == i.ToString(CultureInfo.InvariantCulture) || only == s.Name).ToList();
// --max-files N: the walk's cap (the scanner's default, 20,000, when absent); the 100,000-file tree needs a larger one.
var maxFiles = Arg("--max-files", "");
// With --index, the walk keeps its cache beside the index (as `specsynth context` does with `[context] index` on).
var scanOptions = maxFiles.Length == 0
    ? new ProjectScanOptions { ReadContents = false }
    : new ProjectScanOptions { ReadContents = false, MaxFiles = int.Parse(maxFiles, CultureInfo.InvariantCulture) };
var scanner = new ProjectScanner(indexDir.Length > 0 ? scanOptions with { CacheFolder = Path.Combine(indexDir, "context-index") } : scanOptions);
// --walk-only N: times N scans (the walk, list only) in this process and prints them, nothing else (profiling the walk).
var walkOnly = int.Parse(Arg("--walk-only", "0"), CultureInfo.InvariantCulture);
if (walkOnly > 0)
{
    var times = new List<object>();
    for (var w = 0; w < walkOnly; w++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.GetTimestamp();
        var walked = await scanner.ScanAsync(root);
        times.Add(new
        {
            ms = Math.Round(Stopwatch.GetElapsedTime(clock).TotalMilliseconds, 1),
            cpu_ms = Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds, 1),
            files = walked.Tree.Count,
            walk = scanner.LastWalk,
        });
    }
    Console.WriteLine(JsonSerializer.Serialize(times));
    return;
}
var index = indexDir.Length > 0
    ? new SpecSynth.Context.Index.ContextIndex(new SpecSynth.Context.Index.ContextIndexOptions(Path.Combine(indexDir, "context-index"), 4L << 30), TimeProvider.System)
    : null;
var ranker = new RelevanceRanker(null, index);
if (touch > 0)
{
    // Every 997th .js/.cc file under lib/ and src/ (the same files every time): small appends, as an editor's save.
    var candidates = (await scanner.ScanAsync(root)).Entries
        .Where(e => (e.RelativePath.StartsWith("lib/", StringComparison.Ordinal) || e.RelativePath.StartsWith("src/", StringComparison.Ordinal))
            && (e.RelativePath.EndsWith(".js", StringComparison.Ordinal) || e.RelativePath.EndsWith(".cc", StringComparison.Ordinal)))
        .ToList();
    var touched = new List<string>();
    for (var t = 0; t < touch && candidates.Count > 0; t++)
    {
        var file = candidates[(int)((t * 997L) % candidates.Count)];
        await File.AppendAllTextAsync(file.FullPath, "\n// touched by ContextBench\n");
        touched.Add(file.RelativePath);
    }
    Console.WriteLine(JsonSerializer.Serialize(new { root, touched }));
    return;
}
// The model's window is far above the budget, so the budget (window - reply - margin, capped) is what packs.
var limits = new[] { new ProviderLimit("openai", "gpt-4o", 10_000_000, 16_000) };
var exact = new GenerationOptions { ExactTokens = true };
using var client = new MockChatClient();
// The o200k tokenizer takes a few hundred milliseconds to load: it loads on another thread (planning a one-line spec
// against an empty project) while the tree is walked and ranked, as a context command would do it.
// tokenizer_ready_ms: from here until that warm-up plan is done.
var tokenizerClock = Stopwatch.StartNew();
var tokenizerReadyMs = 0.0;
var tokenizerLoaded = Task.Run(async () =>
{
    await Planner(new RankedFiles([])).PlanContextAsync(SpecParser.Parse("# Warm up\n\n- It MUST start.\n", "warm.md"), ProjectContext.Empty(root), exact);
    tokenizerReadyMs = tokenizerClock.Elapsed.TotalMilliseconds;
});
var runs = new List<object>();
DateTime? firstResult = null;
for (var iteration = 1; iteration <= iterations; iteration++)
{
    foreach (var (name, text) in specs)
    {
        var total = Stopwatch.StartNew();
        // The process's CPU over each phase (both cores; the tokenizer's warm-up, while it runs, counts in the phase it overlaps).
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        // The spec's parse is a phase of its own: in a fresh process it is mostly first-use work (Markdig, the tech
        // patterns' regexes) that, counted in the scan, made the first scan look ~3x the later ones.
        var spec = SpecParser.Parse(text, name + ".md");
        var parseMs = total.Elapsed.TotalMilliseconds;
        var cpuParsed = Process.GetCurrentProcess().TotalProcessorTime;
        var project = await scanner.ScanAsync(root);
        var scanMs = total.Elapsed.TotalMilliseconds - parseMs;
        var cpu1 = Process.GetCurrentProcess().TotalProcessorTime;
        var ranked = await ranker.RankAsync(spec, project);
        var rankMs = total.Elapsed.TotalMilliseconds - parseMs - scanMs;
        var cpu2 = Process.GetCurrentProcess().TotalProcessorTime;
        if (dump.Length > 0 && iteration == 1)
        {
            await File.AppendAllLinesAsync(dump, ranked.Select(r => string.Join('\t', name, r.Path,
                r.Score.ToString("R", CultureInfo.InvariantCulture), string.Join("; ", r.Reasons))));
        }
        await tokenizerLoaded;
        var (packed, tokens) = await PackAsync(project, spec, ranked);
        var packMs = total.Elapsed.TotalMilliseconds - parseMs - scanMs - rankMs;
        var cpu3 = Process.GetCurrentProcess().TotalProcessorTime;
        firstResult ??= DateTime.UtcNow;
        runs.Add(new
        {
            iteration,
            kind = iteration == 1 ? "cold" : "warm",
            spec = name,
            files_in_tree = project.Tree.Count,
            ranked = ranked.Count,
            parse_ms = Math.Round(parseMs, 1),
            scan_ms = Math.Round(scanMs, 1),
            rank_ms = Math.Round(rankMs, 1),
            index = index?.Last,
            walk = scanner.LastWalk,
            count_pack_ms = Math.Round(packMs, 1),
            parse_cpu_ms = Math.Round((cpuParsed - cpu0).TotalMilliseconds, 1),
            scan_cpu_ms = Math.Round((cpu1 - cpuParsed).TotalMilliseconds, 1),
            rank_cpu_ms = Math.Round((cpu2 - cpu1).TotalMilliseconds, 1),
            count_pack_cpu_ms = Math.Round((cpu3 - cpu2).TotalMilliseconds, 1),
            total_ms = Math.Round(total.Elapsed.TotalMilliseconds, 1),
            packed_whole = packed.Count(i => i.State == ContextItemState.Whole),
            packed_outlines = packed.Count(i => i.State == ContextItemState.Outline),
            prompt_tokens = tokens,
            top = ranked.Take(8).Select(r => new { r.Path, r.Score, r.Reasons }),
        });
    }
}
var process = Process.GetCurrentProcess();
Console.WriteLine(JsonSerializer.Serialize(new
{
    root,
    budget,
    index = indexDir.Length > 0 ? indexDir : null,
    // From the process's start (as the kernel records it) to the end of the first spec's pack: start-up, JIT and all.
    process_start_to_first_pack_ms = firstResult is { } first ? Math.Round((first - started).TotalMilliseconds, 1) : 0,
    peak_working_set_mb = Math.Round(process.PeakWorkingSet64 / 1048576.0, 1),
    tokenizer_ready_ms = Math.Round(tokenizerReadyMs, 1),
    // Whether the tokenizer library was loaded at all: a warm run whose counts all come from the token-count cache loads none.
    tokenizer_loaded = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.ML.Tokenizers"),
    machine = new { Environment.ProcessorCount, os = Environment.OSVersion.VersionString, dotnet = Environment.Version.ToString() },
    runs,
}, new JsonSerializerOptions { WriteIndented = true }));

// The context planner (as `specsynth context`/`generate` use it): the spec, the ranked files whole or as outlines while
// they fit, the trimmed project tree; every item and the whole prompt counted with the o200k tokenizer.
async Task<(List<ContextItem> Files, int Tokens)> PackAsync(ProjectContext project, Specification spec, IReadOnlyList<RankedFile> ranked)
{
    var plan = await Planner(new RankedFiles(ranked)).PlanContextAsync(spec, project, exact);
    var files = plan.Items.Where(i => i.Kind == ContextItemKind.File && i.State is ContextItemState.Whole or ContextItemState.Outline).ToList();
    return (files, plan.Tightest.PromptTokens);
}

LlmCodeGenerator Planner(IRelevanceRanker ranked) =>
    new(client, "openai") { Limits = limits, ContextBudget = budget, Ranker = ranked, StateDir = indexDir.Length > 0 ? indexDir : null };

string Arg(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

/// <summary>Hands the planner the ranking already measured, so a file is ranked once per spec.</summary>
internal sealed class RankedFiles(IReadOnlyList<RankedFile> ranked) : IRelevanceRanker
{
    public Task<IReadOnlyList<RankedFile>> RankAsync(Specification spec, ProjectContext project, CancellationToken cancellationToken = default) =>
        Task.FromResult(ranked);
}
