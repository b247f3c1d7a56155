using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpecSynth.Context.Tokens;
using SpecSynth.Edits;
using SpecSynth.Parsing;
using SpecSynth.Providers;

var root = args.Length == 2 && args[0] == "root" ? Path.GetFullPath(args[1]) : FindRoot(Directory.GetCurrentDirectory());
var counter = TiktokenCounter.ForEncoding("o200k_base");
var prices = new[] { ("claude", "claude-sonnet-4-5"), ("openai", "gpt-4.1") }
    .Select(p => (Name: p.Item2, Info: ModelCatalog.BuiltIn.Lookup(p.Item1, p.Item2))).ToList();
string[] files =
[
    "src/SpecSynth/Context/ContextPlanner.cs",
    "src/SpecSynth/Context/Relevance/ContentScanner.cs",
    "src/SpecSynth/Specs/TechInferrer.cs",
    "src/SpecSynth/History/ConversationStore.cs",
    "src/SpecSynth/Generation/Repair/RepairLoop.cs",
    "src/SpecSynth/Edits/EditApplier.cs",
];
const string Explanation = "\n\nThe change meets the requirement: the new behaviour is in place and the rest of the file is as it was. " +
    "FR-001 is covered by the edited method; nothing else changes.\n";

var changes = new JsonArray();
long editTotal = 0, wholeTotal = 0;
foreach (var relative in files)
{
    var original = File.ReadAllText(Path.Combine(root, relative)).Replace("\r\n", "\n", StringComparison.Ordinal);
    var lines = original.Split('\n').ToList();
    if (lines[^1].Length == 0)
    {
        lines.RemoveAt(lines.Count - 1);
    }
    foreach (var (shape, blocks) in Shapes(lines))
    {
        // The whole-file reply: the file as the edits leave it, in a fence with its path marker.
        var applied = EditApplier.Apply(relative, original, [.. blocks.Select((b, i) => new EditBlock(b.Search, b.Replace, i + 1, 1))]);
        if (applied.Outcome != EditOutcome.Exact)
        {
            throw new InvalidOperationException($"{relative} {shape}: {string.Join("; ", applied.Problems)}");
        }
        var whole = "```csharp\n// filepath: " + relative + "\n" + applied.Content + "```" + Explanation;
        var edit = new StringBuilder(relative).Append("\n```csharp\n");
        foreach (var (search, replace) in blocks)
        {
            edit.Append("<<<<<<< SEARCH\n").Append(search).Append("=======\n").Append(replace).Append(">>>>>>> REPLACE\n");
        }
        var editReply = edit.Append("```").Append(Explanation).ToString();
        // The edit reply, parsed and applied as a run would, gives exactly the whole file.
        var parsed = ResponseParser.Parse(editReply);
        var check = EditApplier.Apply(relative, original, parsed.Edits.Single().Blocks);
        if (check.Content != applied.Content)
        {
            throw new InvalidOperationException($"{relative} {shape}: the parsed edit reply does not give the whole file");
        }
        var (editTokens, wholeTokens) = (counter.Count(editReply), counter.Count(whole));
        editTotal += editTokens;
        wholeTotal += wholeTokens;
        var change = new JsonObject
        {
            ["file"] = relative,
            ["lines"] = lines.Count,
            ["change"] = shape,
            ["blocks"] = blocks.Count,
            ["edit_output_tokens"] = editTokens,
            ["whole_output_tokens"] = wholeTokens,
            ["ratio"] = Math.Round((double)wholeTokens / editTokens, 1),
        };
        foreach (var (name, info) in prices)
        {
            change[$"edit_usd_{name}"] = Math.Round(editTokens * info.OutputPerMillion / 1_000_000m, 5);
            change[$"whole_usd_{name}"] = Math.Round(wholeTokens * info.OutputPerMillion / 1_000_000m, 5);
        }
        changes.Add(change);
    }
}

// Apply time on a 10,000-line file made of this repository's own sources, three blocks spread over it.
var big = new List<string>();
foreach (var file in Directory.GetFiles(Path.Combine(root, "src", "SpecSynth"), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
{
    big.AddRange(File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').Select((l, i) => i == 0 ? l + " // " + Path.GetFileName(file) : l));
    if (big.Count >= 10_000)
    {
        break;
    }
}
big = big.Take(10_000).ToList();
var bigText = string.Join('\n', big) + "\n";
var bigBlocks = new[] { 1_000, 5_000, 9_000 }.Select((at, i) => UniqueWindow(big, at, 4))
    .Select((w, i) => new EditBlock(string.Join('\n', w.Lines) + "\n", string.Join('\n', w.Lines) + "\n// inserted " + i + "\n", i + 1, 1)).ToArray();
var fuzzyBlocks = bigBlocks.Select(b => b with { Search = string.Join('\n', b.Search.Split('\n').Select(l => l.Trim())) }).ToArray();
var timings = new JsonObject
{
    ["file_lines"] = big.Count,
    ["file_bytes"] = Encoding.UTF8.GetByteCount(bigText),
    ["blocks"] = bigBlocks.Length,
    ["exact_ms"] = Time(() => EditApplier.Apply("big.cs", bigText, bigBlocks), EditOutcome.Exact),
    ["fuzzy_ms"] = Time(() => EditApplier.Apply("big.cs", bigText, fuzzyBlocks), EditOutcome.Fuzzy),
    ["refused_ms"] = Time(() => EditApplier.Apply("big.cs", bigText, [new EditBlock("no such line in the file\n", "x\n", 1, 1)]), EditOutcome.Refused),
};

// The corpus of hand-written edit-shaped replies.
var corpusDir = Path.Combine(root, "tests", "SpecSynth.Tests", "Edits", "Corpus");
var corpus = new JsonArray();
var tally = new Dictionary<string, int>(StringComparer.Ordinal);
foreach (var file in Directory.GetFiles(corpusDir, "*.txt").Order(StringComparer.Ordinal))
{
    var text = File.ReadAllText(file);
    var split = text.IndexOf("=== reply\n", StringComparison.Ordinal);
    var header = text[..split].Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => (Key: l[..l.IndexOf(':', StringComparison.Ordinal)], Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
    var basePart = header.Single(h => h.Key == "base").Value.Split("->", StringSplitOptions.TrimEntries);
    var dir = Directory.CreateTempSubdirectory("editbench-");
    try
    {
        var sent = new Dictionary<string, string>(StringComparer.Ordinal);
        if (basePart[0] != "none")
        {
            var content = File.ReadAllText(Path.Combine(corpusDir, "base", basePart[0]));
            var full = Path.Combine(dir.FullName, basePart[1]);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            sent[basePart[1]] = header.Any(h => h.Key == "stale") ? "// an older version\n" + content : content;
        }
        var result = ReplyApplier.Apply(ResponseParser.Parse(text[(split + "=== reply\n".Length)..]), new EditContext(dir.FullName, null, sent), []);
        var outcome = result.Failures.Count > 0 ? "refused" : result.Outcomes.Values.Any(o => o == EditOutcome.Fuzzy) ? "fuzzy" : "exact";
        var expected = header.Single(h => h.Key == "expect").Value;
        tally[outcome] = tally.GetValueOrDefault(outcome) + 1;
        corpus.Add(new JsonObject
        {
            ["case"] = Path.GetFileNameWithoutExtension(file),
            ["expected"] = expected,
            ["outcome"] = outcome,
            ["as_expected"] = expected == outcome,
            ["note"] = header.Single(h => h.Key == "note").Value,
            ["first_problem"] = result.Failures.SelectMany(f => f.Problems).FirstOrDefault() is { } p ? p.Split('\n')[0] : null,
        });
    }
    finally
    {
        dir.Delete(recursive: true);
    }
}

var report = new JsonObject
{
    ["tokenizer"] = "o200k_base",
    ["prices_per_million_output"] = new JsonObject(prices.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.Info.OutputPerMillion))),
    ["changes"] = changes,
    ["edit_output_tokens_total"] = editTotal,
    ["whole_output_tokens_total"] = wholeTotal,
    ["ratio_total"] = Math.Round((double)wholeTotal / editTotal, 1),
    ["apply_10k"] = timings,
    ["corpus"] = corpus,
    ["corpus_outcomes"] = new JsonObject(tally.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))),
    ["corpus_as_expected"] = corpus.Count(c => c!["as_expected"]!.GetValue<bool>()),
    ["corpus_cases"] = corpus.Count,
};
Console.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

static string FindRoot(string from)
{
    for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "specsynth.slnx")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("run from inside the repository, or pass: root DIR");
}

// Spec-shaped changes to a file: a one-line fix in the middle, and a new method plus a changed call (two blocks). Each
// SEARCH carries the changed lines and a line or two around them, as models write them; anchors are lines unique in the file.
static IEnumerable<(string Shape, List<(string Search, string Replace)> Blocks)> Shapes(List<string> lines)
{
    var fix = UniqueWindow(lines, lines.Count / 2, 3);
    var changed = fix.Lines.ToList();
    changed[1] = changed[1] + " // FR-001: adjusted";
    yield return ("one-line fix", [(Join(fix.Lines), Join(changed))]);

    var call = UniqueWindow(lines, lines.Count / 3, 3);
    var callChanged = call.Lines.ToList();
    callChanged[1] = callChanged[1].Replace(";", "; // calls Validate() first", StringComparison.Ordinal);
    if (callChanged[1] == call.Lines[1])
    {
        callChanged[1] += " // calls Validate() first";
    }
    var end = lines.FindLastIndex(l => l == "}");
    var tail = UniqueWindow(lines, end - 2, 3);
    var method = new List<string>
    {
        "",
        "    /// <summary>Checks the state before a change (FR-002): every input present, no duplicate key.</summary>",
        "    /// <exception cref=\"InvalidOperationException\">The state is not valid.</exception>",
        "    internal static void Validate(IReadOnlyList<string> keys)",
        "    {",
        "        ArgumentNullException.ThrowIfNull(keys);",
        "        var seen = new HashSet<string>(StringComparer.Ordinal);",
        "        foreach (var key in keys)",
        "        {",
        "            if (!seen.Add(key))",
        "            {",
        "                throw new InvalidOperationException($\"duplicate key '{key}'\");",
        "            }",
        "        }",
        "    }",
    };
    var withMethod = tail.Lines.Take(tail.Lines.Count - 1).Concat(method).Append(tail.Lines[^1]).ToList();
    yield return ("new method + changed call", [(Join(call.Lines), Join(callChanged)), (Join(tail.Lines), Join(withMethod))]);
}

static string Join(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));

// The window of `size` lines nearest `at` whose text occurs once in the file and holds no blank middle line.
static (int Start, List<string> Lines) UniqueWindow(List<string> lines, int at, int size)
{
    for (var offset = 0; offset < lines.Count; offset++)
    {
        foreach (var start in new[] { at - offset, at + offset })
        {
            if (start < 0 || start + size > lines.Count || lines[start + (size / 2)].Trim().Length < 8)
            {
                continue;
            }
            var window = lines.GetRange(start, size);
            var count = 0;
            for (var i = 0; i + size <= lines.Count && count < 2; i++)
            {
                var k = 0;
                while (k < size && lines[i + k] == window[k])
                {
                    k++;
                }
                count += k == size ? 1 : 0;
            }
            if (count == 1)
            {
                return (start, window);
            }
        }
    }
    throw new InvalidOperationException("no unique window");
}

static double Time(Func<EditResult> apply, EditOutcome expected)
{
    for (var i = 0; i < 20; i++)
    {
        if (apply().Outcome != expected)
        {
            throw new InvalidOperationException($"expected {expected}");
        }
    }
    var samples = new List<double>();
    for (var i = 0; i < 200; i++)
    {
        var watch = Stopwatch.StartNew();
        apply();
        samples.Add(watch.Elapsed.TotalMilliseconds);
    }
    samples.Sort();
    return Math.Round(samples[samples.Count / 2], 3);
}
