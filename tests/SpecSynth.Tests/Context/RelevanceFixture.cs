using SpecSynth.Context;
using SpecSynth.Context.Relevance;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Context;

/// <summary>Scans a temporary project (contents read, or paths only) and ranks it for a spec.</summary>
internal static class RelevanceFixture
{
    public static async Task<IReadOnlyList<RankedFile>> RankAsync(TempDir dir, string specText, bool readContents = true)
    {
        var spec = SpecParser.Parse(specText, "spec.md");
        var project = await new ProjectScanner(new ProjectScanOptions { ReadContents = readContents }).ScanAsync(dir.Path, CancellationToken.None);
        return await new RelevanceRanker().RankAsync(spec, project, CancellationToken.None);
    }

    public static async Task<IReadOnlyList<RankedFile>> RankFileAsync(TempDir dir, string specPath)
    {
        var spec = SpecParser.ParseFile(specPath);
        var project = await new ProjectScanner(new ProjectScanOptions { ReadContents = false }).ScanAsync(dir.Path, CancellationToken.None);
        return await new RelevanceRanker().RankAsync(spec, project, CancellationToken.None);
    }

    public static int IndexOf(IReadOnlyList<RankedFile> ranked, string path)
    {
        for (var i = 0; i < ranked.Count; i++)
        {
            if (ranked[i].Path == path)
            {
                return i;
            }
        }
        return int.MaxValue;
    }

    public static RankedFile Get(IReadOnlyList<RankedFile> ranked, string path) =>
        ranked.SingleOrDefault(r => r.Path == path)
        ?? throw new Xunit.Sdk.XunitException($"{path} not ranked; ranking: {Describe(ranked)}");

    public static string Describe(IReadOnlyList<RankedFile> ranked) =>
        string.Join(" | ", ranked.Select(r => $"{r.Path} {r.Score} [{string.Join("; ", r.Reasons)}]"));

    /// <summary>A small todo app in C#, JavaScript and Python, with distractors and secrets.</summary>
    public static void WriteTodoProject(TempDir dir)
    {
        dir.Write("src/TodoStore.cs", """
            namespace Todo;

            /// <summary>Keeps the todo items in memory.</summary>
            public sealed class TodoStore
            {
                private readonly List<TodoItem> _items = [];

                public void Add(TodoItem item) => _items.Add(item);

                public IReadOnlyList<TodoItem> All() => _items;
            }
            """);
        dir.Write("src/TodoItem.cs", """
            namespace Todo;

            public sealed record TodoItem(string Title, bool Done);
            """);
        dir.Write("src/Program.cs", """
            using Todo;

            var store = new TodoStore();
            store.Add(new TodoItem(args[0], false));
            foreach (var item in store.All())
            {
                Console.WriteLine(item.Title);
            }
            """);
        dir.Write("src/Api/TodoEndpoints.cs", """
            namespace Todo.Api;

            public static class TodoEndpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapGet("/todos", (TodoStore store) => store.All());
                    app.MapDelete("/todos/{id}", (int id) => Results.NoContent());
                }
            }
            """);
        dir.Write("src/Weather.cs", """
            namespace Todo;

            /// <summary>Weather forecast: temperature, rain and wind for the next days.</summary>
            public sealed class WeatherForecast
            {
                public double Temperature { get; init; }
                public double RainMillimetres { get; init; }
                public double WindSpeed { get; init; }
                public string Describe() => $"temperature {Temperature}, rain {RainMillimetres}, wind {WindSpeed}";
            }
            """);
        dir.Write("src/Colors.cs", """
            namespace Todo;

            public static class Colors
            {
                public const string Red = "\u001b[31m";
                public const string Reset = "\u001b[0m";
            }
            """);
        dir.Write("web/server.js", """
            const { Store } = require('./store');
            const http = require('http');

            const store = new Store();
            http.createServer((req, res) => res.end(JSON.stringify(store.list()))).listen(8080);
            """);
        dir.Write("web/store.js", """
            class Store {
              constructor() { this.items = []; }
              list() { return this.items; }
            }
            module.exports = { Store };
            """);
        dir.Write("web/theme.js", "module.exports = { primary: '#336699' };\n");
        dir.Write("py/app/models.py", "class Todo:\n    def __init__(self, title):\n        self.title = title\n");
        dir.Write("py/app/main.py", "from .models import Todo\n\n\ndef run():\n    return Todo('x')\n");
        dir.Write(".env", "TODO_STORE_TOKEN=abc123 todo store items TodoStore weather forecast temperature\n");
        dir.Write("config/id_rsa", "TodoStore todo store weather forecast temperature\n");
    }
}
