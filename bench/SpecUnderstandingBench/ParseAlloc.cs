using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text.Json;
using SpecSynth.Specs;

/// <summary>
/// <c>alloc</c>: the bytes one <see cref="SpecParser.Parse"/> allocates (GC.GetAllocatedBytesForCurrentThread, after
/// warm-up) for every spec of the given folders and for WriteBench's many-specs spec, and a census of the allocated types
/// (GCAllocationTick samples, one per ~100 KB). <c>dump DIR</c>: each parsed spec as JSON, to compare two builds byte by byte.
/// </summary>
internal static class ParseAlloc
{
    public static void Run(IReadOnlyList<string> dirs, int rounds, string? dumpDir)
    {
        var specs = new List<(string Name, string Text)>();
        foreach (var dir in dirs)
        {
            foreach (var file in Directory.GetFiles(dir, "*.md").Order(StringComparer.Ordinal))
            {
                specs.Add((Path.GetFileName(file), File.ReadAllText(file)));
            }
        }
        specs.Add(("writebench-spec-00042.md", "---\ntitle: spec-00042\n---\n\n# spec-00042\n\nWrite the note `gen/spec-00042.md` for item 42.\n\n"
            + "- **FR-001**: The note MUST name item 42.\n"));
        if (dumpDir is not null)
        {
            Directory.CreateDirectory(dumpDir);
            foreach (var (name, text) in specs)
            {
                File.WriteAllText(Path.Combine(dumpDir, name + ".json"), JsonSerializer.Serialize(SpecParser.Parse(text, "specs/" + name)));
            }
        }
        foreach (var (name, text) in specs)
        {
            SpecParser.Parse(text, "specs/" + name);
        }
        using var census = new Census();
        long total = 0;
        Console.WriteLine("| spec | KB | bytes per parse |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, text) in specs)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < rounds; i++)
            {
                SpecParser.Parse(text, "specs/" + name);
            }
            var perParse = (GC.GetAllocatedBytesForCurrentThread() - before) / rounds;
            total += perParse;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {text.Length / 1024.0:F1} | {perParse} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\ntotal bytes per parse of all {specs.Count} specs: {total}"));
        Console.WriteLine("\nallocation census (GCAllocationTick samples):");
        foreach (var (type, count) in census.Top(25))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count,8} {type}"));
        }
    }

    private sealed class Census : EventListener
    {
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public IEnumerable<(string Type, int Count)> Top(int n)
        {
            lock (_counts)
            {
                return _counts.OrderByDescending(p => p.Value).Take(n).Select(p => (p.Key, p.Value)).ToList();
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && eventData.Payload is { } payload
                && eventData.PayloadNames?.IndexOf("TypeName") is >= 0 and var index && payload[index] is string type)
            {
                lock (_counts)
                {
                    _counts[type] = _counts.GetValueOrDefault(type) + 1;
                }
            }
        }
    }
}
