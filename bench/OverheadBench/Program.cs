using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;
using OpenAI;
using OverheadBench;
using SpecSynth;
using SpecSynth.Caching;
using SpecSynth.Config;
using SpecSynth.Hosting;
using SpecSynth.Pipeline;
using SpecSynth.Providers;

// What specsynth's pipeline adds to one request: the client the CLI builds (ChatClientFactory: redaction, usage ledger row
// and audit line, response cache miss, budget check, rate limits, retry, breaker, attempt and stream-idle timeouts, the
// provider's error translation) against the bare SDK client, both streaming from the same in-process server that
// answers at once, for the OpenAI and Anthropic SDKs, at concurrency 1 and 16. Bare and full alternate in blocks so a
// change of the machine's speed hits both. Prints JSON: latency p50/p99 of each and their difference, process CPU and
// allocated bytes per request (the server's share is the same in both, so the differences are the pipeline's), and the
// runtime's counters per request (RuntimeCounters: thread-pool work items, GCs per 1,000 requests by generation, GC pause,
// contended locks).
var requests = Arg("--requests", "2000");
var perConfig = int.Parse(requests, CultureInfo.InvariantCulture);
var levels = Arg("--concurrency", "1,16").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
var providers = Arg("--providers", "openai,claude").Split(',');
// Warm-up requests per client and level (JIT, tiering, connections, first SQLite opens) before the settling below.
var warmup = int.Parse(Arg("--warmup", "100"), CultureInfo.InvariantCulture);
// --settle-s S (default 60; 0: off): after the warm-up, more warm-up blocks of both clients (2,000 requests each, at the
// level measured) until a whole round compiles no new method, for at most S seconds. Measured (session 14): at c=16 the
// 2 cores are saturated, the runtime's background tier-1 compilation gets a small share of them, and 2,000 warm-up
// requests left most of both clients' hot methods in tier-0 code for the whole measured run (bare 0.124 → 0.055, full
// 0.240 → 0.128 ms of CPU per request once settled): the figures measured a JIT warm-up, not the steady state.
var settleSeconds = double.Parse(Arg("--settle-s", "60"), CultureInfo.InvariantCulture);
// --provider-layers: the provider's own client (SDK client, HTTP handlers, parameter filter, error translation) as "full".
// --only bare|full: measure one client alone (both still warm up), for a profiler or strace attached to the whole run;
// the other client's figures are then 0 and the "added" ones meaningless.
var only = Arg("--only", "");
// --tagged: the full client gets the options the CLI sends (LlmCodeGenerator.AskAsync and ModelReply.GetAsync: model, output
// cap and temperature, the usage tags operation and spec, the prompt template version); the bare client the same options
// untagged. Without it both get only the output cap.
Tagged = args.Contains("--tagged");
// --trickle N: the server sends the reply's text as N more events, one by one 1 ms apart, so the client's reads wait (as
// with a real model's stream) and the per-update cost of each layer shows; latency then includes ~N ms of pauses.
InstantServer.Trickle = int.Parse(Arg("--trickle", "0"), CultureInfo.InvariantCulture);
// --rate R: an open loop beside the closed one: requests start at a fixed total rate of R per second (request n is due
// n/R seconds after the block starts), at most --concurrency in flight; a request that waits for a free worker counts
// its wait (timed from when it was due). Without it each worker sends its next request as soon as its last one ends
// (closed loop: the machine is saturated and latency is mostly the CPU queue).
Rate = double.Parse(Arg("--rate", "0"), CultureInfo.InvariantCulture);
const int Blocks = 10;
// --prompt-kb N: a user text of N KB (the same sentence repeated) instead of the default ~1.9 KB; real prompts are 10-500 KB.
if (Arg("--prompt-kb", "") is { Length: > 0 } promptKb)
{
    Filler = string.Concat(Enumerable.Repeat(Sentence, (int.Parse(promptKb, CultureInfo.InvariantCulture) * 1024 / Sentence.Length) + 1));
}

// --prompt-passes: the passes over each prompt's text alone, one thread, ~1.9 KB and --prompt-kb KB prompts.
if (args.Contains("--prompt-passes"))
{
    var sizes = new List<int> { 0 };
    if (Arg("--prompt-kb", "") is { Length: > 0 } passesKb)
    {
        sizes.Add(int.Parse(passesKb, CultureInfo.InvariantCulture));
    }
    PromptPasses.Run(sizes, int.Parse(Arg("--rounds", "15"), CultureInfo.InvariantCulture));
    return;
}

// --layer-steps: the continuation, retry and provider-error layers' streaming path alone, one thread (LayerSteps).
if (args.Contains("--layer-steps"))
{
    await OverheadBench.LayerSteps.RunAsync();
    return;
}

// --state-ops: the request path's durable reads and writes alone (cache miss, cache entry, ledger row, audit line).
// --limiter-ops: the rate limiters' bookkeeping alone (LimiterOps).
if (args.Contains("--limiter-ops"))
{
    await OverheadBench.LimiterOps.RunAsync(2_000_000);
    return;
}
if (args.Contains("--state-ops"))
{
    await StateOps.RunAsync(perConfig, levels, warmup);
    return;
}

await using var server = await InstantServer.StartAsync();
var root = Path.Combine(Path.GetTempPath(), "specsynth-overheadbench-" + Guid.NewGuid().ToString("N"));
var project = Directory.CreateDirectory(Path.Combine(root, "project")).FullName;
File.WriteAllText(Path.Combine(project, "specsynth.toml"), "");
var env = new Dictionary<string, string>
{
    ["SPECSYNTH_HOME"] = Path.Combine(root, "state"),
    ["OPENAI_API_KEY"] = "sk-bench",
    ["OPENAI_BASE_URL"] = new Uri(server.BaseUrl, "v1").ToString(),
    ["OPENAI_MODEL"] = "gpt-4.1",
    ["ANTHROPIC_API_KEY"] = "sk-ant-bench",
    ["ANTHROPIC_BASE_URL"] = server.BaseUrl.ToString(),
    ["ANTHROPIC_MODEL"] = "claude-sonnet-4-5",
};
Func<string, string?> getEnv = name => env.GetValueOrDefault(name);
var results = new List<object>();
// --alloc-types: after each configuration, each client alone once more with the allocation census on (types by sampled
// bytes per request, bare and full side by side: what the pipeline adds, by type).
using var census = args.Contains("--alloc-types") ? new AllocationCensus() : null;
// --tail: which background work (cache flushes, checkpoints, group commits, GC pauses) the full client's slowest 1 % of
// measured requests overlapped (TailAttribution), per configuration.
using var tail = args.Contains("--tail") ? new TailAttribution() : null;
// --survival: bytes each GC promoted out of gen0 (and gen1) during the bare and the full client's measured blocks
// (GcSurvival): what a request's state keeps alive across a collection.
using var survival = args.Contains("--survival") ? new GcSurvival() : null;
var allocTypes = new List<object>();
var next = 0; // request ids, never repeated: every request is a response-cache miss
try
{
    foreach (var provider in providers)
    {
        var budget = args.Contains("--no-budget") ? "" : "[budget]\ndaily_usd = 1000000\n\n";
        var toml = $"{budget}[llm.{provider}]\nrequests_per_minute = 1000000\n";
        var config = ConfigLoader.ApplyFile(ConfigLoader.Load(project, getEnv), "bench.toml", toml) with { Providers = [provider] };
        var services = new RunServices(TimeProvider.System, getEnv, providers: SpecSynthProviders.Factory);
        // --provider-layers: "full" is the provider's own client alone (the SDK client under the provider's HTTP handlers,
        // parameter filter and error translation: what ProviderClientFactory builds), without the pipeline's layers and
        // state: what the provider-facing code adds over the bare SDK client.
        // --bare-burn US: "full" is the bare client plus US µs of CPU per request, no hop (BurnClient): a control.
        using var full = args.Contains("--bare-burn")
            ? new OverheadBench.BurnClient(Bare(provider), double.Parse(Arg("--bare-burn", "50"), CultureInfo.InvariantCulture))
            : args.Contains("--provider-layers")
            ? SpecSynthProviders.Factory.Create(ProviderOnly(provider), TimeProvider.System, new RejectedParameters(ModelCatalog.BuiltIn), null)
            : (await ChatClientFactory.CreateAsync(config, services, onWarning: w => Console.Error.WriteLine("warning: " + w),
                cacheMode: args.Contains("--no-cache") ? CacheMode.Off : CacheMode.ReadWrite)).Client;
        using var bare = Bare(provider);
        foreach (var concurrency in levels)
        {
            await RunAsync(bare, warmup, concurrency, () => next++); // warm-up: JIT, connections, first SQLite opens
            await RunAsync(full, warmup, concurrency, () => next++);
            var settle = await SettleAsync(bare, full, concurrency, settleSeconds, () => next++);
            if (args.Contains("--queue-sample"))
            {
                OverheadBench.QueueSampler.Start();
            }
            var (bareTimes, fullTimes) = (new List<double>(), new List<double>());
            var (bareCpu, fullCpu, bareAlloc, fullAlloc) = (0.0, 0.0, 0L, 0L);
            var (bareSys, fullSys) = (0.0, 0.0);
            var (bareRt, fullRt) = (default(RuntimeCounters), default(RuntimeCounters));
            var fullSpans = new List<(long Start, long End)>();
            tail?.Reset();
            var (bareGcs, fullGcs) = (new List<(long, long)>(), new List<(long, long)>());
            for (var block = 0; block < Blocks; block++)
            {
                var started = Stopwatch.GetTimestamp();
                var b = only == "full" ? default : await RunAsync(bare, perConfig / Blocks, concurrency, () => next++);
                var between = Stopwatch.GetTimestamp();
                var f = only == "bare" ? default : await RunAsync(full, perConfig / Blocks, concurrency, () => next++);
                bareGcs.Add((started, between));
                fullGcs.Add((between, Stopwatch.GetTimestamp()));
                bareTimes.AddRange(b.Latencies ?? []);
                fullTimes.AddRange(f.Latencies ?? []);
                fullSpans.AddRange(f.Spans ?? []);
                (bareCpu, fullCpu, bareAlloc, fullAlloc) = (bareCpu + b.CpuMs, fullCpu + f.CpuMs, bareAlloc + b.Allocated, fullAlloc + f.Allocated);
                (bareSys, fullSys) = (bareSys + b.SysMs, fullSys + f.SysMs);
                (bareRt, fullRt) = (bareRt + b.Runtime, fullRt + f.Runtime);
            }
            var n = (double)(perConfig / Blocks * Blocks);
            if (args.Contains("--queue-sample"))
            {
                OverheadBench.QueueSampler.Report();
            }
            if (survival is not null)
            {
                await Task.Delay(500); // the listener hears the runtime's events a little later
            }
            var (bareP50, bareP99, fullP50, fullP99) = (P(bareTimes, 50), P(bareTimes, 99), P(fullTimes, 50), P(fullTimes, 99));
            results.Add(new
            {
                provider,
                concurrency,
                requests_each = (int)n,
                rate_per_s = Rate > 0 ? Rate : (double?)null,
                bare_ms = new { p50 = R(bareP50), p99 = R(bareP99) },
                full_ms = new { p50 = R(fullP50), p99 = R(fullP99) },
                added_ms = new { p50 = R(fullP50 - bareP50), p99 = R(fullP99 - bareP99) },
                cpu_ms_per_request = new { bare = R(bareCpu / n), full = R(fullCpu / n), added = R((fullCpu - bareCpu) / n) },
                sys_ms_per_request = new { bare = R(bareSys / n), full = R(fullSys / n) },
                alloc_kb_per_request = new { bare = R(bareAlloc / n / 1024), full = R(fullAlloc / n / 1024), added = R((fullAlloc - bareAlloc) / n / 1024) },
                work_items_per_request = new { bare = R(bareRt.WorkItems / n), full = R(fullRt.WorkItems / n), added = R((fullRt.WorkItems - bareRt.WorkItems) / n) },
                gc_per_1000 = new { bare = Gcs(bareRt, n), full = Gcs(fullRt, n) },
                gc_pause_ms_per_request = new { bare = R4(bareRt.PauseMs / n), full = R4(fullRt.PauseMs / n), added = R4((fullRt.PauseMs - bareRt.PauseMs) / n) },
                lock_contentions_per_request = new { bare = R(bareRt.Contentions / n), full = R(fullRt.Contentions / n), added = R((fullRt.Contentions - bareRt.Contentions) / n) },
                // The warm-up's settling (--settle-s) and the methods compiled while measuring (~0 when settled).
                tail = tail?.Report(fullSpans),
                survival = survival is null ? null : new
                {
                    bare = GcSurvival.Report(bareGcs.Aggregate(default(GcSurvival.Totals), (t, r) => t + survival.Between(r.Item1, r.Item2)), n),
                    full = GcSurvival.Report(fullGcs.Aggregate(default(GcSurvival.Totals), (t, r) => t + survival.Between(r.Item1, r.Item2)), n),
                },
                jit = new { settle_requests_each = settle.Requests, settle_s = R(settle.Seconds), settled = settle.Settled, methods_compiled_while_measuring = System.Runtime.JitInfo.GetCompiledMethodCount() - settle.Methods },
            });
            if (census is not null)
            {
                allocTypes.Add(new { provider, concurrency, bare = await CensusAsync(census, bare, perConfig, concurrency), full = await CensusAsync(census, full, perConfig, concurrency) });
            }
        }
    }
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        results,
        alloc_types = census is null ? null : allocTypes,
        targets = new { added_p50_ms_at_16 = 0.3, added_p99_ms_at_16 = 1.0 },
        machine = new { Environment.ProcessorCount, os = Environment.OSVersion.VersionString, dotnet = Environment.Version.ToString() },
    }, new JsonSerializerOptions { WriteIndented = true }));
}
finally
{
    // OVERHEADBENCH_KEEP=DIR: the run's folder (state files: the cache, the ledger) is moved there instead of deleted, to read
    // its files afterwards (e.g. the cache's b-trees with sqlite3's dbstat; session 15).
    if (Environment.GetEnvironmentVariable("OVERHEADBENCH_KEEP") is { Length: > 0 } keep)
    {
        Directory.Move(root, keep);
    }
    else
    {
        Directory.Delete(root, recursive: true);
    }
}

IChatClient Bare(string provider) => provider == "openai"
    ? new OpenAI.Chat.ChatClient("gpt-4.1", new ApiKeyCredential("sk-bench"), new OpenAIClientOptions
    {
        Endpoint = new Uri(server.BaseUrl, "v1"),
        RetryPolicy = new ClientRetryPolicy(0),
    }).AsIChatClient()
    : new AnthropicClient(new ClientOptions { ApiKey = "sk-ant-bench", BaseUrl = server.BaseUrl.ToString().TrimEnd('/'), MaxRetries = 0 })
        .AsIChatClient("claude-sonnet-4-5", 1024);

ProviderSettings ProviderOnly(string provider) => provider == "openai"
    ? new() { Provider = provider, Model = "gpt-4.1", ApiKey = "sk-bench", BaseUrl = new Uri(server.BaseUrl, "v1"), MaxOutputTokens = 1024 }
    : new() { Provider = provider, Model = "claude-sonnet-4-5", ApiKey = "sk-ant-bench", BaseUrl = server.BaseUrl, MaxOutputTokens = 1024 };

static async Task<(List<double> Latencies, double CpuMs, double SysMs, long Allocated, RuntimeCounters Runtime, List<(long Start, long End)> Spans)> RunAsync(IChatClient client, int count, int concurrency, Func<int> id)
{
    var latencies = new double[count];
    var spans = new (long Start, long End)[count];
    var issued = -1;
    var process = Process.GetCurrentProcess();
    process.Refresh();
    var cpu = process.TotalProcessorTime;
    var sys = process.PrivilegedProcessorTime;
    // --tagged: only the pipeline strips the tags (asked once per run, not per request).
    var tagged = Tagged && client.GetService(typeof(SpecSynth.Usage.UsageRecordingChatClient)) is not null;
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var runtime = RuntimeCounters.Now();
    var start = Stopwatch.GetTimestamp();
    var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        for (var i = Interlocked.Increment(ref issued); i < count; i = Interlocked.Increment(ref issued))
        {
            // --rate: a worker early for this request waits until it is due and times it from when it sends (the timer's
            // own lateness, ~1 ms, is not the request's); a worker late for it (busy until after it was due) times it from
            // when it was due, so the wait for a free worker counts.
            var sent = Stopwatch.GetTimestamp();
            if (Rate > 0)
            {
                var due = start + (long)(i / Rate * Stopwatch.Frequency);
                if (Stopwatch.GetElapsedTime(sent, due) is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait);
                    sent = Stopwatch.GetTimestamp();
                }
                else
                {
                    sent = due;
                }
            }
            int unique;
            lock (latencies)
            {
                unique = id();
            }
            // A new user text each time: every request is a response-cache miss.
            List<ChatMessage> messages =
            [
                new(ChatRole.System, "You are a careful engineer."),
                new(ChatRole.User, $"Request {unique}: write the function described below.\n" + Filler),
            ];
            await foreach (var _ in client.GetStreamingResponseAsync(messages, Options(tagged)))
            {
            }
            var ended = Stopwatch.GetTimestamp();
            latencies[i] = Stopwatch.GetElapsedTime(sent, ended).TotalMilliseconds;
            spans[i] = (sent, ended);
        }
    })).ToList();
    await Task.WhenAll(workers);
    var counters = RuntimeCounters.Now() - runtime;
    process.Refresh();
    return ([.. latencies], (process.TotalProcessorTime - cpu).TotalMilliseconds, (process.PrivilegedProcessorTime - sys).TotalMilliseconds,
        GC.GetTotalAllocatedBytes(precise: true) - allocated, counters, [.. spans]);
}

// Warm-up rounds (each client 2,000 requests at the level measured) until a round compiles no new method or the time is up;
// returns the requests each client got, the seconds taken, whether it settled, and the compiled-method count at the end.
static async Task<(int Requests, double Seconds, bool Settled, long Methods)> SettleAsync(IChatClient bare, IChatClient full, int concurrency, double seconds, Func<int> id)
{
    const int Round = 2000;
    var start = Stopwatch.GetTimestamp();
    var (requests, methods) = (0, System.Runtime.JitInfo.GetCompiledMethodCount());
    while (seconds > 0 && Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
    {
        await RunAsync(bare, Round, concurrency, id);
        await RunAsync(full, Round, concurrency, id);
        requests += Round;
        var now = System.Runtime.JitInfo.GetCompiledMethodCount();
        if (now == methods)
        {
            return (requests, Stopwatch.GetElapsedTime(start).TotalSeconds, true, now);
        }
        methods = now;
    }
    return (requests, Stopwatch.GetElapsedTime(start).TotalSeconds, seconds <= 0, System.Runtime.JitInfo.GetCompiledMethodCount());
}

async Task<Dictionary<string, double>> CensusAsync(AllocationCensus on, IChatClient client, int count, int concurrency)
{
    on.Reset();
    on.Counting = true;
    await RunAsync(client, count, concurrency, () => next++);
    await Task.Delay(500); // the listener hears the runtime's events a little later
    on.Counting = false;
    return on.Largest(40).ToDictionary(p => p.Key, p => R(p.Value / 1024.0 / count));
}

// The request's options: see --tagged; tagged: the client is the pipeline (it has the usage layer).
static ChatOptions Options(bool tagged)
{
    if (!Tagged)
    {
        return new ChatOptions { MaxOutputTokens = 1024 };
    }
    var options = new ChatOptions { MaxOutputTokens = 1024, Temperature = 0.2f };
    if (!tagged)
    {
        return options;
    }
    SpecSynth.Usage.UsageOperations.Tag(options, SpecSynth.Usage.UsageOperations.Generate, "/work/project/specs/orders.md");
    (options.AdditionalProperties ??= [])[ResponseCache.TemplateVersionProperty] = "v7";
    return options;
}

static double P(List<double> values, int percentile)
{
    if (values.Count == 0)
    {
        return 0;
    }

    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static double R(double value) => Math.Round(value, 3);

static double R4(double value) => Math.Round(value, 4);

// Collections per 1,000 requests by generation (each GC counted once, in the oldest generation it collected).
static object Gcs(RuntimeCounters counters, double requests) => new
{
    gen0 = R(counters.Gen0 * 1000 / requests),
    gen1 = R(counters.Gen1 * 1000 / requests),
    gen2 = R(counters.Gen2 * 1000 / requests),
};

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

internal sealed partial class Program
{
    private const string Sentence = "The function takes a list of orders and returns the total per customer. ";

    /// <summary>The user text after the request's own line: 25 sentences (~1.9 KB), or <c>--prompt-kb</c>'s size.</summary>
    private static string Filler { get; set; } = string.Concat(Enumerable.Repeat(Sentence, 25));

    /// <summary>Whether the full client's requests carry the CLI's tags (<c>--tagged</c>).</summary>
    private static bool Tagged { get; set; }

    /// <summary>--rate: requests started per second in total (0: closed loop).</summary>
    private static double Rate { get; set; }
}
