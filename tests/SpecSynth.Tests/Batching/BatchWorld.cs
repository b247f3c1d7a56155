using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SpecSynth.Tests.Fakes;
using SpecSynth.Tests.Service;

namespace SpecSynth.Tests.Batching;

/// <summary>A project with three small specs (alpha, beta, gamma), the fake server as Claude and OpenAI, and fast polls.</summary>
internal sealed class BatchWorld : IDisposable
{
    public BatchWorld(FakeProviderServer server)
    {
        World = new ServiceWorld(new Dictionary<string, string>
        {
            ["ANTHROPIC_API_KEY"] = "sk-ant-api03-SECRET-batch-7f3a9c1d",
            ["ANTHROPIC_BASE_URL"] = server.BaseUrl.AbsoluteUri.TrimEnd('/'),
            ["OPENAI_API_KEY"] = "sk-proj-SECRET-batch-0a1b2c3d",
            ["OPENAI_BASE_URL"] = new Uri(server.BaseUrl, "v1").AbsoluteUri,
        });
        foreach (var name in new[] { "Alpha", "Beta", "Gamma" })
        {
            World.Write(name.ToLowerInvariant() + ".md", $"# {name}\n\nThe {name.ToLowerInvariant()} part.\n\n## Requirements\n\n- It MUST exist.\n");
        }
        World.Write("specsynth.toml", "[batch]\npoll_seconds = 0.02\n");
    }

    public ServiceWorld World { get; }

    public string Out => World.Out;

    /// <summary>A valid C# reply for the spec whose part is named <paramref name="name"/>.</summary>
    public static string Code(string name) => $"```csharp\n// filepath: src/{name}.cs\nnamespace Demo;\n\npublic static class {name}\n{{\n}}\n```\n";

    /// <summary>Which spec a request is for (its prompt names the part).</summary>
    public static string? Part(string request) =>
        new[] { "Alpha", "Beta", "Gamma" }.FirstOrDefault(n => request.Contains($"The {n.ToLowerInvariant()} part", StringComparison.Ordinal));

    public ServiceProvider Services() => World.Services();

    public static GenerateRequest Spec(string name) => new() { SpecPath = name.ToLowerInvariant() + ".md" };

    public static GenerateRequest Options(string provider, IProgress<SpecSynthEvent>? progress = null) =>
        new() { OutputRoot = "out", RepairRounds = 0, Providers = provider, Progress = progress };

    public bool Written(string name) => File.Exists(Path.Combine(Out, "src", name + ".cs"));

    /// <summary>The state folder.</summary>
    public string State => global::SpecSynth.Config.StatePaths.StateDir(k => World.Env.TryGetValue(k, out var v) ? v : null);

    /// <summary>A number read from the state folder's batches.db (0 while it does not exist or is locked by a writer).</summary>
    public long Count(string sql)
    {
        var db = Path.Combine(State, "batches.db");
        if (!File.Exists(db))
        {
            return 0;
        }
        try
        {
            using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    /// <summary>How many journal runs with <paramref name="status"/> wrote each output file (path relative to the output folder).</summary>
    public Dictionary<string, int> JournalWrites(string status = "committed")
    {
        var writes = new Dictionary<string, int>(StringComparer.Ordinal);
        var journal = Path.Combine(State, "journal");
        foreach (var manifest in Directory.Exists(journal) ? Directory.EnumerateFiles(journal, "manifest.json", SearchOption.AllDirectories) : [])
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest));
            if (doc.RootElement.GetProperty("status").GetString() != status)
            {
                continue;
            }
            foreach (var file in doc.RootElement.GetProperty("files").EnumerateArray())
            {
                var path = file.GetProperty("path").GetString()!;
                writes[path] = writes.GetValueOrDefault(path) + 1;
            }
        }
        return writes;
    }

    /// <summary>Runs SQL on the state folder's batches.db (to stage a crash).</summary>
    public void Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(State, "batches.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => World.Dispose();
}
