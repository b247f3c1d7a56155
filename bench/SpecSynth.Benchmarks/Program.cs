using System.Diagnostics;
using System.Text.Json;
using SpecSynth.Benchmarks;
using SpecSynth.Benchmarks.Inputs;
using SpecSynth.Parsing;
using SpecSynth.Projects;
using SpecSynth.Specs;

// Prints one JSON object: per case, the median and minimum wall milliseconds over the runs, and throughput.
// Usage: dotnet run -c Release --project bench/SpecSynth.Benchmarks [-- --scan DIR] [--runs N]
var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(15);
var scanDir = args.SkipWhile(a => a != "--scan").Skip(1).FirstOrDefault();
var results = new Dictionary<string, object>();

var spec = LargeInputs.LargeSpec(100 * 1024);
results["spec_parse_100kb"] = Measure.Run(runs, spec.Length, () => SpecParser.Parse(spec));

var realSpecs = Directory.EnumerateFiles(Path.Combine(Repo.Root, "..", "shared", "specs", "real"), "*.md")
    .Where(f => !f.EndsWith("README.md", StringComparison.Ordinal)).Select(File.ReadAllText).ToList();
results["spec_parse_all_real_specs"] = Measure.Run(runs, realSpecs.Sum(s => s.Length), () => realSpecs.ForEach(s => SpecParser.Parse(s)));

var reply = LargeInputs.LargeReply(out _);
results["response_parse_1mb"] = Measure.Run(runs, reply.Length, () => ResponseParser.Parse(reply));
foreach (var shape in LargeInputs.PathologicalShapes)
{
    var text = LargeInputs.PathologicalReply(shape);
    results["response_parse_adversarial_" + shape] = Measure.Run(Math.Max(3, runs / 3), text.Length, () => ResponseParser.Parse(text));
}

var code = string.Concat(Enumerable.Repeat(File.ReadAllText(Path.Combine(Repo.Root, "src", "SpecSynth", "Providers", "Mock", "todo-cli.reply.md")), 200));
results["secret_redaction"] = Measure.Run(runs, code.Length, () => SecretRedactor.Redact(code, out _));

var scanRoot = scanDir ?? Repo.Root;
results["project_scan"] = Measure.Run(Math.Max(3, runs / 3), 0,
    () => new ProjectScanner(new ProjectScanOptions()).ScanAsync(scanRoot, CancellationToken.None).GetAwaiter().GetResult());
results["project_scan_root"] = scanRoot;
results["peak_working_set_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024;

Console.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
