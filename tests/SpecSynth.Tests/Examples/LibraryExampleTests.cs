using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Examples;

/// <summary>
/// examples/library, built against the SpecSynth package, run as a process against the in-process fake OpenAI server:
/// its own OpenAI <c>IChatClient</c> carries specsynth's prompt, and what it prints is what specsynth wrote. Without CI's
/// build (<see cref="LibraryExample.BuiltByCi"/>) the first test packs the library and builds the example (a minute or two).
/// </summary>
public sealed class LibraryExampleTests(LibraryExample example) : IClassFixture<LibraryExample>, IAsyncLifetime
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>

        """;

    private const string Program = """
        var text = args.Length > 0 ? File.ReadAllText(args[0]) : Console.In.ReadToEnd();
        var lines = text.Count(c => c == '\n');
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        Console.WriteLine($"{lines} {words} {text.Length}");

        """;

    private static readonly string Reply =
        "Here is the program.\n\n" +
        "```xml\n<!-- filepath: WordCount.csproj -->\n" + Project + "```\n\n" +
        "```csharp\n// filepath: Program.cs\n" + Program + "```\n\n" +
        "FR-001 and FR-002: `Program.cs` counts a file or standard input.";

    private readonly TempDir _work = new();
    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public void Example_WithItsOwnClient_PullsNoOtherProviderSdk_AndNoRedis()
    {
        var dlls = Directory.EnumerateFiles(Path.GetDirectoryName(example.Dll)!, "*.dll").Select(Path.GetFileName).ToList();

        Assert.Contains("SpecSynth.dll", dlls);
        Assert.Contains("OpenAI.dll", dlls); // its own client's SDK
        Assert.DoesNotContain("SpecSynth.Providers.dll", dlls);
        Assert.DoesNotContain("SpecSynth.Redis.dll", dlls);
        Assert.DoesNotContain("Anthropic.dll", dlls);
        Assert.DoesNotContain("OllamaSharp.dll", dlls);
        Assert.DoesNotContain("StackExchange.Redis.dll", dlls);
    }

    [Fact]
    public async Task Example_GeneratesItsSpecThroughItsOwnOpenAIClient_AndPrintsTheResult()
    {
        _server.Enqueue(OpenAIWire.Stream(Chunks(Reply, 40), prompt: 1234, completion: 321));

        var run = await example.RunAsync(_work.Path, Env(), [] /* the example's own spec.md */);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Out}\n{run.Error}");
        var output = _work.Combine("out");
        Assert.Equal(Project, File.ReadAllText(Path.Combine(output, "WordCount.csproj")));
        Assert.Equal(Program, File.ReadAllText(Path.Combine(output, "Program.cs")));
        Assert.Contains("Written: 2 file(s) in " + output, run.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  Created +Program\.cs  \[Valid\]$", run.Out);
        Assert.Matches(@"(?m)^  Created +WordCount\.csproj  \[", run.Out);
        Assert.Contains("Tokens: 1234 in, 321 out; cost $", run.Out, StringComparison.Ordinal);

        // One call, through the example's own client (its model and key), carrying specsynth's prompt.
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-example-test", request.Header("authorization"));
        var body = request.Json;
        Assert.Equal("example-model", body.GetProperty("model").GetString());
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains("You are specsynth", Content(messages, "system"), StringComparison.Ordinal);
        var prompt = Content(messages, "user");
        Assert.Contains("<specification title=\"Word Count\">", prompt, StringComparison.Ordinal);
        Assert.Contains("**FR-003**: A file that does not exist MUST print an error", prompt, StringComparison.Ordinal);
        Assert.Contains("## Output format", prompt, StringComparison.Ordinal);
        Assert.Contains("`// filepath: relative/path`", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Example_ReportsAProviderErrorAndWritesNothing()
    {
        _server.Enqueue(OpenAIWire.Error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
        var spec = _work.Write("spec.md", "---\ntitle: Hello\nlanguage: csharp\n---\n\n# Hello\n\n- **FR-001**: `Hello()` MUST return `hi`.\n");

        var run = await example.RunAsync(_work.Path, Env(), spec, "generated");

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}\n{run.Out}\n{run.Error}");
        Assert.StartsWith("specsynth: ", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_work.Combine("generated")) && Directory.EnumerateFileSystemEntries(_work.Combine("generated")).Any(),
            "nothing may be written after a provider error");
        Assert.Contains("Hello", Assert.Single(_server.Requests).Body, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Env() => new()
    {
        ["OPENAI_BASE_URL"] = _server.Url("v1").ToString(),
        ["OPENAI_API_KEY"] = "sk-example-test",
        ["OPENAI_MODEL"] = "example-model",
        ["SPECSYNTH_HOME"] = _work.Combine("state"),
    };

    private static string Content(List<System.Text.Json.JsonElement> messages, string role) =>
        string.Concat(messages.Where(m => m.GetProperty("role").GetString() == role).Select(m => m.GetProperty("content") switch
        {
            { ValueKind: System.Text.Json.JsonValueKind.String } text => text.GetString(),
            var parts => string.Concat(parts.EnumerateArray().Select(p => p.GetProperty("text").GetString())),
        }));

    private static List<string> Chunks(string text, int size) =>
        [.. Enumerable.Range(0, (text.Length + size - 1) / size).Select(i => text.Substring(i * size, Math.Min(size, text.Length - i * size)))];
}
