using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LedgerBench;
using Microsoft.Extensions.AI;
using SpecSynth;
using SpecSynth.Caching;
using SpecSynth.Usage;

// What recording every call costs, through the public API only. (1) The pipeline ChatClientFactory builds for the mock
// provider (redaction, usage ledger row and audit line per call, resilience; response cache off) against the same mock
// client bare, whole and streamed, without and with [audit] include_prompts. (2) The cache target with the
// ledger in place: 100 specs through ChatClientFactory (mock, response cache), then the same 100 again in a new run,
// every call recorded. Prints JSON.
var calls = Arg("--calls", 2000);
var specCount = Arg("--specs", 100);
var root = Path.Combine(Path.GetTempPath(), "specsynth-ledgerbench-" + Guid.NewGuid().ToString("N"));
Func<string, string?> env = name => name == "SPECSYNTH_HOME" ? Path.Combine(root, "state") : Environment.GetEnvironmentVariable(name);
try
{
    var messages = new List<ChatMessage>
    {
        new(ChatRole.System, "You are specsynth. " + new string('s', 2000)),
        new(ChatRole.User, "<specification>" + new string('x', 20_000) + "</specification>"),
    };
    var bare = await TimeAsync(new FixedReplyChatClient(), messages, calls);
    var recorded = await TimeAsync(await RecordingAsync(includePrompts: false, "plain"), messages, calls);
    var withPrompts = await TimeAsync(await RecordingAsync(includePrompts: true, "prompts"), messages, calls);
    var (first, rerun, rows) = await FactoryRunsAsync(specCount);

    var result = new
    {
        calls_each = calls,
        bare_ms = bare,
        recorded_ms = recorded,
        recorded_with_prompts_ms = withPrompts,
        overhead_per_call_cpu_ms = Math.Round(recorded.CpuMsPerCall - bare.CpuMsPerCall, 3),
        overhead_per_call_with_prompts_cpu_ms = Math.Round(withPrompts.CpuMsPerCall - bare.CpuMsPerCall, 3),
        audit_bytes_per_line = new { plain = Bytes("plain") / (2 * calls), with_prompts = Bytes("prompts") / (2 * calls) },
        factory_first_run = first,
        factory_rerun = rerun,
        ledger_rows_after_both_runs = rows,
        targets = new { rerun_total_ms_below = 1000, ledger_rows = 2 * specCount },
        met = rerun.TotalMs < 1000 && rerun.Hits == specCount && rows == 2 * specCount,
        machine = new { Environment.ProcessorCount, os = Environment.OSVersion.VersionString, dotnet = Environment.Version.ToString() },
    };
    Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
}
finally
{
    Directory.Delete(root, recursive: true);
}

async Task<IChatClient> RecordingAsync(bool includePrompts, string name)
{
    var dir = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
    // claude-sonnet-4-5's list prices (USD per million tokens), as the built-in catalog has them.
    var pricing = new TokenPrices { InputPerMillion = 3m, OutputPerMillion = 15m, CacheWritePerMillion = 3.75m, CacheReadPerMillion = 0.30m };
    var options = new UsageLedgerLayerOptions
    {
        StateFolder = dir,
        Provider = "claude",
        Model = "claude-sonnet-4-5",
        Pricing = pricing,
        Audit = new AuditOptions { IncludePrompts = includePrompts },
        Project = dir,
        OnWarning = w => Console.Error.WriteLine("warning: " + w),
    };
    return await Task.FromResult(new ChatClientBuilder(new FixedReplyChatClient()).UseSpecSynthUsageLedger(options, TimeProvider.System).Build());
}

// The audit log of a state folder (README: Usage and cost).
long Bytes(string name) => new FileInfo(Path.Combine(root, name, "audit.jsonl")).Length;

static async Task<Timing> TimeAsync(IChatClient client, List<ChatMessage> messages, int count)
{
    using (client)
    {
        var options = new ChatOptions();
        for (var i = 0; i < 50; i++)
        {
            await client.GetResponseAsync(messages, options); // warm-up (JIT, first open)
        }
        var whole = new List<double>();
        var streamed = new List<double>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await client.GetResponseAsync(messages, options);
            whole.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await foreach (var _ in client.GetStreamingResponseAsync(messages, options))
            {
            }
            streamed.Add(watch.Elapsed.TotalMilliseconds);
        }
        var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / (2.0 * count);
        return new Timing(Percentiles.Of(whole), Percentiles.Of(streamed), Math.Round(cpuPerCall, 4));
    }
}

async Task<(Run First, Run Rerun, long Rows)> FactoryRunsAsync(int count)
{
    var project = Directory.CreateDirectory(Path.Combine(root, "project")).FullName;
    File.WriteAllText(Path.Combine(project, "README.md"), "# Bench project\n");
    var specs = Enumerable.Range(0, count).Select(i => new GenerateRequest { SpecText = Spec(i), SpecName = $"specs/spec{i:D3}.md" }).ToList();
    var first = await RunAsync();
    var rerun = await RunAsync();
    return (first, rerun, UsageReport.Query(environment: env).Total.Requests);

    // One run of the whole job through the public service (mock provider, response cache on, dry run: nothing written).
    async Task<Run> RunAsync()
    {
        var specsynth = SpecSynthesizerFactory.Create(new SpecSynthOptions { Providers = "mock", WorkingDirectory = project, Environment = env });
        var total = Stopwatch.StartNew();
        var result = await specsynth.GenerateAllAsync(new GenerateAllRequest
        {
            Specs = specs,
            Options = new GenerateRequest { ProjectRoot = project, DryRun = true, Cache = CacheMode.ReadWrite },
            Concurrency = 1,
        });
        return new Run(result.Results.Count(r => r?.CacheHit == true), Math.Round(total.Elapsed.TotalMilliseconds, 1));
    }
}

static string Spec(int i) => $"""
    # Feature {i:D3}: greeting service variant {i}

    ## Requirements
    - `Greeter{i}.Greet(name)` MUST return `Hello {i}, <name>!`.
    - A blank name MUST throw `ArgumentException`.
    """;

int Arg(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Timing(Percentiles Whole, Percentiles Streamed, double CpuMsPerCall);

internal sealed record Run(int Hits, double TotalMs);

internal sealed record Percentiles(double P50, double P99, double Max)
{
    public static Percentiles Of(List<double> values)
    {
        var sorted = values.Order().ToList();
        double At(double q) => Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)], 3);
        return new Percentiles(At(0.50), At(0.99), Math.Round(sorted[^1], 3));
    }
}
