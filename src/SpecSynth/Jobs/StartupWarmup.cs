using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using SpecSynth.Output;
using SpecSynth.Specs;
using SpecSynth.Validation;

namespace SpecSynth.Jobs;

/// <summary>
/// First-use costs of a generate run paid on a second thread while the first one parses the spec and resolves the run
/// (issue 19, start-up): the spec parse's tech patterns, loading and binding SQLite, OpenSSL's SHA-256, the write
/// journal's JSON metadata, the response cache's codec, the reply parser, and, for a C# spec, Roslyn's parser and the
/// XML reader that validation will use.
/// Each warm-up does on throw-away data what the run does later on its own (an in-memory database, a manifest that is
/// never written, a cache key and a reply of its own), so it changes no result and no file; a failure is ignored (the
/// run meets it again where it matters). Once per process.
/// </summary>
internal sealed class StartupWarmup
{
    private Task<bool>? _common;
    private Task<bool>? _validation;

    /// <summary>The process's warm-ups (what the service starts).</summary>
    public static StartupWarmup Process { get; } = new();

    /// <summary>The common warm-ups once started: <c>true</c> when they ran through, <c>false</c> when one threw.</summary>
    public Task<bool>? Common => Volatile.Read(ref _common);

    /// <summary>The validation warm-ups once started (see <see cref="Common"/>).</summary>
    public Task<bool>? Validation => Volatile.Read(ref _validation);

    /// <summary>Starts the warm-ups every generate run needs (state databases, hashing, the journal's JSON).</summary>
    public void Begin() => Start(ref _common, WarmCommon);

    /// <summary>Starts warming what <paramref name="specs"/> will be validated with: Roslyn and the XML reader when one of
    /// them is a C# spec; nothing otherwise (a run that writes no C# never loads Roslyn).</summary>
    public void BeginValidation(IEnumerable<Specification> specs)
    {
        if (specs.Any(s => string.Equals(s.Language, "csharp", StringComparison.OrdinalIgnoreCase)))
        {
            Start(ref _validation, WarmCSharp);
        }
    }

    private static void Start(ref Task<bool>? started, Action warmup)
    {
        if (Volatile.Read(ref started) is not null)
        {
            // Already started: a many-spec run asks once per C# spec.
            return;
        }
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref started, done.Task, null) is not null)
        {
            return;
        }
        // A thread of its own: a long item on the thread pool would hold up the run's own continuations on 2 cores.
        var thread = new Thread(() => done.SetResult(Run(warmup))) { IsBackground = true, Name = "specsynth warm-up" };
        thread.Start();
    }

    private static bool Run(Action warmup)
    {
        try
        {
            warmup();
            return true;
        }
#pragma warning disable CA1031 // A warm-up that fails costs only the time it was meant to save.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static void WarmCommon()
    {
        // First what the first thread needs soonest: the spec parse reads the spec's tech with about 140 regexes that are
        // built (parsed, analysed, turned into interpreter code) when their classes are first used. Building them here
        // while the first thread is still in Markdig takes them off the run's path; if the first thread gets there first,
        // it waits for the one build instead of doing it twice.
        RuntimeHelpers.RunClassConstructor(typeof(TechSignals).TypeHandle);
        RuntimeHelpers.RunClassConstructor(typeof(TechNames).TypeHandle);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = ":memory:",
            Mode = SqliteOpenMode.Memory,
            Pooling = false,
        }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE w (k TEXT PRIMARY KEY, n INTEGER, b BLOB); INSERT INTO w VALUES ($k, $n, $b); SELECT k, n, b FROM w;";
            command.Parameters.AddWithValue("$k", "k");
            command.Parameters.AddWithValue("$n", 1L);
            command.Parameters.AddWithValue("$b", new byte[] { 1 });
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                _ = reader.GetString(0);
                _ = reader.GetInt64(1);
                _ = reader.IsDBNull(2);
            }
        }
        _ = SHA256.HashData("specsynth"u8);
        var manifest = new JournalManifest
        {
            RunId = "warm-up",
            CreatedUtc = DateTimeOffset.UnixEpoch,
            OutputRoot = "/",
            UndoneUtc = DateTimeOffset.UnixEpoch,
            WriterPid = 1,
            Files = [new JournalManifestFile { Path = "a", Sha256 = "0" }],
            CreatedDirectories = ["d"],
        };
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(manifest, JournalJsonContext.Default.JournalManifest);
        _ = System.Text.Json.JsonSerializer.Deserialize(json, JournalJsonContext.Default.JournalManifest);
        // Every provider's reply goes through the response cache's key and codec and the reply parser.
        _ = Caching.ResponseCacheCodec.Key([new ChatMessage(ChatRole.System, "s"), new ChatMessage(ChatRole.User, "u")],
            new ChatOptions { ModelId = "m", MaxOutputTokens = 1, Temperature = 0 }, [], []);
        var updates = Caching.ResponseCacheCodec.SerializeReply([new ChatResponseUpdate(ChatRole.Assistant, "**src/A.cs**")
        {
            FinishReason = ChatFinishReason.Stop,
            Contents = { new UsageContent(new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 }) },
        }], chunkChars: 256);
        _ = Caching.ResponseCacheCodec.Deserialize(updates);
        _ = Parsing.ResponseParser.Parse("Files:\n\n```csharp path=src/A.cs\nnamespace W;\n\ninternal static class A;\n```\n\n**README.md**\n```markdown\n# W\n```\n");
    }

    private static void WarmCSharp()
    {
        _ = CSharpSyntax.Check("warm-up.cs", "namespace W;\n\ninternal static class C\n{\n    public static int M(string[] a) => a.Length;\n}\n", 1, CancellationToken.None);
        _ = DataSyntax.Xml("warm-up.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>");
    }
}
