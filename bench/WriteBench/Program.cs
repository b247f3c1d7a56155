using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SpecSynth;
using SpecSynth.Caching;
using SpecSynth.Providers;
using WriteBench;

// N specs generated in one run (GenerateAllAsync, as `specsynth generate a.md b.md ... --concurrency 32`), each writing
// its own new file, into a fresh output and state folder; then the same N again into the same folders (every file
// unchanged). Provider: an instant in-process OpenAI-compatible server (default) or the mock. Prints JSON with the
// process CPU per spec (user + sys, Process.TotalProcessorTime), allocated bytes per spec and the peak working set, for
// each N given (--specs 100,1000).
// --serve: only the instant server, for the CLI end to end (`OPENAI_BASE_URL=<printed url> specsynth generate …`): prints
// its base URL on one line, then answers until standard input closes.
if (args.Contains("--serve"))
{
    await using var alone = await InstantOpenAIServer.StartAsync();
    Console.WriteLine(alone.BaseUrl);
    await Console.In.ReadToEndAsync();
    return;
}
var counts = Arg("--specs", "100,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
var concurrency = int.Parse(Arg("--concurrency", "32"), CultureInfo.InvariantCulture);
var provider = Arg("--provider", "openai");
// --spec-files: each spec is a file given by path (as `specsynth generate a.md b.md ...`; beside the project, not in it,
// so the context stays the same), not text.
var specFiles = args.Contains("--spec-files");
// The folders of every run are deleted when the process ends, not between runs: on a file system without a journal
// (ext4 here), the inodes freed by deleting a run's thousands of files are skipped, one by one, by every file and
// folder the next run creates (`recently_deleted` in ext4's inode allocator): 20 % of the perf samples of the next
// run. --delete-each-run deletes them between runs as before.
var deleteEachRun = args.Contains("--delete-each-run");
var leftovers = new List<string>();
await using var server = provider == "openai" ? await InstantOpenAIServer.StartAsync() : null;
var results = new List<object>();
// A warm-up run (JIT, first SQLite open), not counted; --warmup 1000 lets tiered JIT finish, so the figures are the
// steady state of a long-running process and not the JIT's.
var warmingUp = true;
await RunAsync(int.Parse(Arg("--warmup", "20"), CultureInfo.InvariantCulture));
warmingUp = false;
foreach (var n in counts)
{
    results.Add(await RunAsync(n));
}
Console.WriteLine(JsonSerializer.Serialize(new
{
    provider,
    concurrency,
    spec_files = specFiles,
    delete_each_run = deleteEachRun,
    runs = results,
    machine = new { Environment.ProcessorCount, os = Environment.OSVersion.VersionString, dotnet = Environment.Version.ToString() },
}, new JsonSerializerOptions { WriteIndented = true }));
foreach (var leftover in leftovers)
{
    Directory.Delete(leftover, recursive: true);
}

async Task<object> RunAsync(int n)
{
    var root = Path.Combine(Path.GetTempPath(), "specsynth-writebench-" + Guid.NewGuid().ToString("N"));
    var project = Directory.CreateDirectory(Path.Combine(root, "project")).FullName;
    File.WriteAllText(Path.Combine(project, "README.md"), "# Bench project\n");
    var output = Path.Combine(root, "out");
    var env = new Dictionary<string, string>
    {
        ["SPECSYNTH_HOME"] = Path.Combine(root, "state"),
        ["OPENAI_API_KEY"] = "sk-bench",
        ["OPENAI_MODEL"] = "bench-model",
    };
    if (server is not null)
    {
        env["OPENAI_BASE_URL"] = server.BaseUrl.ToString();
    }
    try
    {
        if (specFiles)
        {
            Directory.CreateDirectory(Path.Combine(root, "specs"));
        }
        var specs = Enumerable.Range(0, n).Select(i =>
        {
            var text = $"---\ntitle: spec-{i:D5}\n---\n\n# spec-{i:D5}\n\nWrite the note `gen/spec-{i:D5}.md` for item {i}.\n\n" +
                $"- **FR-001**: The note MUST name item {i}.\n";
            if (!specFiles)
            {
                return new GenerateRequest { SpecText = text, SpecName = $"specs/spec-{i:D5}.md" };
            }
            var path = Path.Combine(root, "specs", $"spec-{i:D5}.md");
            File.WriteAllText(path, text);
            return new GenerateRequest { SpecPath = path };
        }).ToList();
        var options = new GenerateRequest { ProjectRoot = project, OutputRoot = output, Cache = CacheMode.Off };
        var first = await MeasureAsync(specs, options, env, project, profile: true);
        var again = await MeasureAsync(specs, options, env, project, profile: false);
        var written = Directory.Exists(Path.Combine(output, "gen")) ? Directory.GetFiles(Path.Combine(output, "gen")).Length : 0;
        return new { specs = n, files_written = written, new_files = first, unchanged = again };
    }
    finally
    {
        if (deleteEachRun)
        {
            Directory.Delete(root, recursive: true);
        }
        else
        {
            leftovers.Add(root);
        }
    }
}

async Task<object> MeasureAsync(List<GenerateRequest> specs, GenerateRequest options, Dictionary<string, string> env, string project, bool profile)
{
    var specsynth = SpecSynthesizerFactory.Create(new SpecSynthOptions
    {
        Providers = provider,
        WorkingDirectory = project,
        Environment = name => env.TryGetValue(name, out var v) ? v : null,
        ProviderFactory = SpecSynthProviders.Factory,
    });
    var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
    var process = Process.GetCurrentProcess();
    process.Refresh();
    var (user, sys) = (process.UserProcessorTime, process.PrivilegedProcessorTime);
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var wall = Stopwatch.StartNew();
    PerfControl("enable", profile);
    var result = await specsynth.GenerateAllAsync(new GenerateAllRequest { Specs = specs, Options = options, Concurrency = concurrency });
    PerfControl("disable", profile);
    wall.Stop();
    process.Refresh();
    var userMs = (process.UserProcessorTime - user).TotalMilliseconds;
    var sysMs = (process.PrivilegedProcessorTime - sys).TotalMilliseconds;
    // What the run keeps once it is over (the results of every spec, which the caller holds, and whatever the library
    // still holds): the live heap after a full collection, against the one before the run.
    var allocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
    var retained = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
    GC.KeepAlive(result);
    var n = specs.Count;
    return new
    {
        ok = result.Succeeded,
        first_failure = result.Failures.FirstOrDefault(f => f is not null)?.Message,
        wall_s = Math.Round(wall.Elapsed.TotalSeconds, 2),
        cpu_ms_per_spec = Math.Round((userMs + sysMs) / n, 2),
        user_ms_per_spec = Math.Round(userMs / n, 2),
        sys_ms_per_spec = Math.Round(sysMs / n, 2),
        alloc_kb_per_spec = Math.Round(allocatedBytes / 1024.0 / n, 1),
        peak_working_set_mb = Math.Round(process.PeakWorkingSet64 / 1048576.0, 1),
        retained_kb_per_spec = Math.Round(retained / 1024.0 / n, 1),
    };
}

// WRITEBENCH_PERF_CTL=<fifo>: `perf record --control fifo:<fifo> -D -1` records only the measured runs (not the warm-up,
// nor the set-up between runs, nor the unchanged-files runs).
void PerfControl(string command, bool profile)
{
    if (Environment.GetEnvironmentVariable("WRITEBENCH_PERF_CTL") is { Length: > 0 } fifo && !warmingUp && profile)
    {
        File.AppendAllText(fifo, command + "\n");
    }
}

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
