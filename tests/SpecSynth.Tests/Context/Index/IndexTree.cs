using System.Text;
using SpecSynth.Context;
using SpecSynth.Context.Index;
using SpecSynth.Context.Relevance;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Context.Indexing;

/// <summary>A generated project (JavaScript, C/C++, Python, C#; imports, declarations, routes, type uses, a file that
/// uses a spec identifier more often than the scanner checks, binary and non-UTF-8 files, a large file, a secret file)
/// and the specs to rank it with, plus the helpers that rank it with and without an index.</summary>
internal static class IndexTree
{
    public static readonly string[] SpecTexts =
    [
        """
        # Validate `maxHeaderSize` in `createServer()`

        The HTTP server in `lib/http_server.js` accepts a `maxHeaderSize` option and the `ParserCache` keeps parsers.
        `validateInteger` MUST check it; `GET /todos/{id}` and `POST /todos` answer with the header limit.
        """,
        """
        # Worker resource limits

        `WorkerLimits` in `src/node_worker.cc` MUST apply `resourceLimits` (`maxYoungGenerationSizeMb`) to each worker;
        the `TodoStore` class keeps the limits per worker thread. `DELETE /items/:id` removes one.
        """,
        """
        # Store todo items

        Todo items are kept in a store with a title and a done flag; listing the items returns them in order, and a
        parser reads them from files. The `http_parser` and `fs_utils` modules help.
        """,
    ];

    private static readonly string[] Words =
    [
        "server", "http", "header", "max", "size", "parser", "cache", "todo", "store", "item", "worker", "limit",
        "resource", "thread", "flag", "open", "file", "validate", "integer", "young", "generation", "title", "done",
        "list", "order", "stream", "buffer", "socket", "request", "response", "timer", "queue", "node", "module",
    ];

    /// <summary>Writes the project: <paramref name="files"/> source files, deterministic for <paramref name="seed"/>.</summary>
    public static void Write(string root, int files = 240, int seed = 7)
    {
        var dir = new Folder(root);
        var random = new Random(seed);
        for (var i = 0; i < files; i++)
        {
            var kind = i % 4;
            var (path, text) = kind switch
            {
                0 => ($"lib/{Name(random, '_')}_{i}.js", JavaScript(random, i, files)),
                1 => ($"src/{Name(random, '_')}_{i}.{(i % 8 == 1 ? "h" : "cc")}", Cpp(random, i, files)),
                2 => ($"py/pkg/{Name(random, '_')}_{i}.py", Python(random, i)),
                _ => ($"cs/{Name(random, 'C')}{i}.cs", CSharp(random, i)),
            };
            dir.Write(path, text);
        }
        dir.Write("lib/http_server.js", "const { ParserCache } = require('./parser_cache');\nfunction createServer(options) {\n  const maxHeaderSize = options.maxHeaderSize;\n  validateInteger(maxHeaderSize);\n}\napp.get('/todos/:id', (req, res) => res.send(maxHeaderSize));\nmodule.exports = { createServer };\n");
        dir.Write("lib/parser_cache.js", "class ParserCache {\n  constructor() { this.parsers = []; }\n}\nexports.ParserCache = ParserCache;\n");
        dir.Write("src/node_worker.cc", "#include \"node_worker.h\"\nstruct WorkerLimits {\n  int maxYoungGenerationSizeMb;\n};\nvoid Worker::ApplyLimits(WorkerLimits* resourceLimits) {\n}\n");
        dir.Write("src/node_worker.h", "struct WorkerLimits;\nclass Worker {\n  void ApplyLimits(WorkerLimits* l);\n};\n");
        // The spec's identifier used far more often than the scanner checks for declarations, declared at the end.
        var crowded = new StringBuilder();
        for (var k = 0; k < 300; k++)
        {
            crowded.Append("  total += maxHeaderSize(").Append(k).Append(");\n");
        }
        crowded.Append("function maxHeaderSize(x) {\n  return x;\n}\n");
        dir.Write("lib/crowded.js", crowded.ToString());
        dir.Write("lib/routes.js", "router.post('/todos', create);\nrouter.delete(\"/items/:id\", remove);\nconst other = '/todos/{id}/x';\n");
        dir.Write("assets/logo.bin", "PNG\0\0\0header size server");
        File.WriteAllBytes(Path.Combine(root, "lib", "latin1.js"), [0x66, 0x6f, 0xe9, 0x20, 0x73, 0x65, 0x72, 0x76, 0x65, 0x72]);
        dir.Write("lib/huge_server.js", new string('x', 300 * 1024));
        dir.Write(".env", "API_KEY=sk-zebrasecretvalue1234567890\nmaxHeaderSize=1\n");
    }

    private sealed class Folder(string root)
    {
        public void Write(string relative, string text)
        {
            var full = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
    }

    private static string Name(Random random, char style)
    {
        var a = Words[random.Next(Words.Length)];
        var b = Words[random.Next(Words.Length)];
        return style == 'C' ? char.ToUpperInvariant(a[0]) + a[1..] + char.ToUpperInvariant(b[0]) + b[1..] : a + "_" + b;
    }

    private static string Camel(Random random) =>
        Words[random.Next(Words.Length)] + string.Concat(Enumerable.Range(0, random.Next(1, 3)).Select(_ =>
        {
            var w = Words[random.Next(Words.Length)];
            return char.ToUpperInvariant(w[0]) + w[1..];
        }));

    private static string Prose(Random random, int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));

    private static string JavaScript(Random random, int i, int files)
    {
        var sb = new StringBuilder();
        sb.Append("'use strict';\n");
        sb.Append("const dep = require('./").Append(Words[random.Next(Words.Length)]).Append('_').Append(Words[random.Next(Words.Length)]).Append('_').Append((i + 4) % files).Append("');\n");
        sb.Append("// ").Append(Prose(random, 12)).Append('\n');
        for (var f = 0; f < random.Next(2, 6); f++)
        {
            var name = Camel(random);
            sb.Append("function ").Append(name).Append("(a, b) {\n  return dep.").Append(Camel(random)).Append("(a) + ").Append(Camel(random)).Append("(b);\n}\n");
        }
        if (random.Next(5) == 0)
        {
            sb.Append("app.get('/todos/:id', handler);\n");
        }
        if (random.Next(4) == 0)
        {
            sb.Append("class ").Append(char.ToUpperInvariant(Words[random.Next(Words.Length)][0])).Append("Todo").Append(i).Append(" {}\n");
        }
        sb.Append("module.exports = { maxHeaderSize: ").Append(random.Next(100)).Append(" };\n");
        return sb.ToString();
    }

    private static string Cpp(Random random, int i, int files)
    {
        var sb = new StringBuilder();
        sb.Append("#include \"node_worker.h\"\n#include <uv.h>\n");
        sb.Append("/* ").Append(Prose(random, 20)).Append(" */\n");
        sb.Append("struct ").Append("Worker").Append(Words[random.Next(Words.Length)]).Append(i).Append(" {\n  int max_header_size;\n};\n");
        for (var f = 0; f < random.Next(2, 5); f++)
        {
            sb.Append("static int ").Append(Words[random.Next(Words.Length)]).Append('_').Append(Words[random.Next(Words.Length)]).Append("(WorkerLimits* resourceLimits) {\n  return 0;\n}\n");
        }
        _ = files;
        return sb.ToString();
    }

    private static string Python(Random random, int i)
    {
        var sb = new StringBuilder();
        sb.Append("from .models import TodoStore\nimport os.path\n");
        sb.Append("# ").Append(Prose(random, 15)).Append('\n');
        sb.Append("class ").Append("Todo").Append(Words[random.Next(Words.Length)]).Append(i).Append(":\n    pass\n");
        sb.Append("def ").Append(Words[random.Next(Words.Length)]).Append("_items(store):\n    return TodoStore()\n");
        return sb.ToString();
    }

    private static string CSharp(Random random, int i)
    {
        var sb = new StringBuilder();
        sb.Append("namespace Todo;\n\n/// ").Append(Prose(random, 10)).Append('\n');
        sb.Append("public sealed class Todo").Append(Words[random.Next(Words.Length)]).Append(i).Append("\n{\n");
        sb.Append("    public int MaxHeaderSize { get; init; }\n");
        sb.Append("    private readonly TodoStore _store = new();\n");
        if (random.Next(3) == 0)
        {
            sb.Append("    public void WorkerLimits() { }\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>The ranking of <paramref name="root"/> for spec <paramref name="spec"/>, through <paramref name="index"/> when given.</summary>
    public static async Task<string> RankAsync(string root, int spec, ContextIndex? index, bool readContents = false)
    {
        var parsed = SpecParser.Parse(SpecTexts[spec], "spec.md");
        var project = await new ProjectScanner(new ProjectScanOptions { ReadContents = readContents }).ScanAsync(root, CancellationToken.None);
        var ranked = await new RelevanceRanker(null, index).RankAsync(parsed, project, CancellationToken.None);
        return Dump(ranked);
    }

    /// <summary>Every ranked file with its exact score and reasons, one per line.</summary>
    public static string Dump(IReadOnlyList<RankedFile> ranked) =>
        string.Join('\n', ranked.Select(r => string.Join('\t', r.Path, r.Bytes, r.Score.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            string.Join("; ", r.Reasons))));

    /// <summary>An index under <paramref name="state"/> that trusts files changed just before it is written (tests
    /// write their files and rank at once; they wait a moment instead).</summary>
    public static ContextIndex NewIndex(string state, long maxBytes = 1L << 30, TimeProvider? time = null) =>
        new(new ContextIndexOptions(Path.Combine(state, ContextIndexOptions.FolderName), maxBytes) { RacyWindow = TimeSpan.Zero }, time ?? TimeProvider.System);

    /// <summary>Lets the file system's clock move past the last write (its timestamps are coarser than a nanosecond).</summary>
    public static Task SettleAsync() => Task.Delay(50);
}
