using System.Globalization;
using System.Text.Json;
using SpecSynth.Specs;

// Prints, for every labelled spec, what the parser understood against the hand-written label, then the totals.
// Uses only Title, Language, Framework and Requirements, so the same program measures older parsers too.
var repo = FindRepo();
if (args.Contains("alloc"))
{
    var dirs = new List<string> { Arg("real") ?? "/work/shared/specs/real", Arg("handwritten") ?? Path.Combine(repo, "tests", "SpecSynth.Tests", "Specs", "Handwritten") };
    ParseAlloc.Run(dirs, int.Parse(Arg("rounds") ?? "200", CultureInfo.InvariantCulture), Arg("dump"));
    return;
}
var labelsPath = Arg("labels") ?? Path.Combine(repo, "tests", "SpecSynth.Tests", "Specs", "understanding-labels.json");
var realDir = Arg("real") ?? Path.GetFullPath(Path.Combine(repo, "..", "shared", "specs", "real"));
if (!Directory.Exists(realDir))
{
    realDir = "/work/shared/specs/real";
}
var handwrittenDir = Arg("handwritten") ?? Path.Combine(repo, "tests", "SpecSynth.Tests", "Specs", "Handwritten");

using var labels = JsonDocument.Parse(File.ReadAllText(labelsPath));
var totals = new int[4];
var counts = new int[4];
Console.WriteLine("| spec | title | language | framework | requirements |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var label in labels.RootElement.GetProperty("specs").EnumerateArray())
{
    var name = label.GetProperty("name").GetString()!;
    var dir = label.GetProperty("set").GetString() == "real" ? realDir : handwrittenDir;
    var spec = SpecParser.ParseFile(Path.Combine(dir, name + ".md"));
    var range = label.GetProperty("requirements");
    var (min, max) = (range[0].GetInt32(), range[1].GetInt32());
    var cells = new[]
    {
        Cell(0, spec.Title == label.GetProperty("title").GetString(), spec.Title),
        Cell(1, spec.Language == Str(label, "language"), spec.Language ?? "–"),
        Cell(2, spec.Framework == Str(label, "framework"), spec.Framework ?? "–"),
        Cell(3, spec.Requirements.Count >= min && spec.Requirements.Count <= max,
            string.Create(CultureInfo.InvariantCulture, $"{spec.Requirements.Count} ({min}–{max})")),
    };
    Console.WriteLine($"| {name} | {string.Join(" | ", cells)} |");
}
var names = new[] { "title", "language", "framework", "requirements" };
Console.WriteLine();
Console.WriteLine(string.Join(", ", names.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{n} {totals[i]}/{counts[i]}"))));

string Cell(int field, bool ok, string value)
{
    counts[field]++;
    totals[field] += ok ? 1 : 0;
    var shown = value.Length > 40 ? value[..39] + "…" : value;
    return (ok ? "✓ " : "✗ ") + shown.Replace("|", "\\|", StringComparison.Ordinal);
}

static string? Str(JsonElement e, string key) => e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindRepo()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "specsynth.slnx")))
    {
        dir = dir.Parent;
    }
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
