using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>Provider failures as the CLI reports them: exit codes, messages, single requests, nothing written.</summary>
public sealed class FailuresOverProvidersTests
{
    public static TheoryData<string, int> NamesAndServerErrors()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in ProviderCases.Names())
        {
            foreach (var status in new[] { 429, 529, 500 })
            {
                data.Add(name, status);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ProviderCases.Names), MemberType = typeof(ProviderCases))]
    public async Task RejectedKey_IsExit3_AfterOneRequest_WithoutTheKeyInTheOutput(string provider)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Error(401, "Incorrect API key provided: " + (h.Case.Key ?? "none"), "authentication_error"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Equal(3, result.ExitCode);
        Assert.Single(h.ChatRequests);
        Assert.Contains("rejected the API key", result.Error, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("auth", doc.RootElement.GetProperty("error").GetProperty("kind").GetString());
        if (h.Case.Key is { } key)
        {
            Assert.DoesNotContain(key, result.Out, StringComparison.Ordinal);
            Assert.DoesNotContain(key, result.Error, StringComparison.Ordinal);
            Assert.Empty(h.FilesContaining(key));
        }
        Assert.Empty(h.OutputFiles);
    }

    [Theory]
    [MemberData(nameof(NamesAndServerErrors))]
    public async Task RateLimitsOverloadAndServerErrors_AreExit4_AfterExactlyOneRequest(string provider, int status)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Error(status, "Overloaded", status == 429 ? "rate_limit_error" : "overloaded_error"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains($"HTTP {status}", result.Error, StringComparison.Ordinal);
        Assert.Single(h.ChatRequests);
        Assert.Empty(h.OutputFiles);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task ConnectionRefused_IsExit4_NamingTheAddress(string provider, bool stream)
    {
        var port = FreePort();
        var dead = new Uri($"http://127.0.0.1:{port}/");
        await using var h = await CliHarness.StartAsync(provider, ProviderCases.Get(provider).Env(dead));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.OutputFiles);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task ConnectionCutMidReply_IsExit4_AndWritesNothing(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        var reply = h.Case.Reply(ModelAnswers.TwoFiles, stream);
        h.Server.Enqueue(reply with { AbortAfterBytes = reply.Body.Length * 2 / 3 });

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.Equal(4, result.ExitCode);
        Assert.Single(h.ChatRequests);
        Assert.False(Directory.Exists(h.Out));
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task HtmlPageInsteadOfAnApiReply_IsExit4_AndWritesNothing(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(FakeResponse.Text(200, "text/html; charset=utf-8", "<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>\n"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.Equal(4, result.ExitCode);
        Assert.Single(h.ChatRequests);
        Assert.False(Directory.Exists(h.Out));
    }

    [Fact]
    public async Task OpenAICompatibleServerOffLoopback_WithoutAKey_IsExit3_BeforeAnyRequest()
    {
        await using var h = await CliHarness.StartAsync("openai", new Dictionary<string, string> { ["OPENAI_BASE_URL"] = "http://llm.example.invalid/v1" });

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("OPENAI_API_KEY is not set", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.Server.Requests);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task ReplyCutAtMaxTokensInsideAFile_IsExit5_AndWritesNothing(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.CutInSecondFile, stream, stop: "length"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("stop reason 'length'", result.Error, StringComparison.Ordinal);
        Assert.Contains("tests/GreeterTests.cs", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(h.Out));
        Assert.Single(h.ChatRequests);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task ReplyWithAPathOutsideTheOutputFolder_IsExit5_AndWritesNothing(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.UnsafePath, stream));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("escaped.cs", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(h.Out));
        Assert.Empty(Directory.EnumerateFiles(h.Root, "escaped.cs", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(h.Root)!, "escaped.cs")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OllamaModelNotPulled_FailsSayingOllamaPull(bool stream)
    {
        await using var h = await CliHarness.StartAsync("ollama");
        h.Server.Router = r => r.Path == "/api/tags" ? OllamaWire.Tags("llama3.2:latest") : null;
        h.Server.Enqueue(OllamaWire.Error(404, $"model \"{OllamaCase.Model}\" not found, try pulling it first"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"ollama pull {OllamaCase.Model}", result.Error, StringComparison.Ordinal);
        Assert.Contains("llama3.2:latest", result.Error, StringComparison.Ordinal);
        Assert.Empty(h.ChatRequests); // the /api/show preflight finds it before any prompt is sent
        Assert.Empty(h.OutputFiles);
    }

    [Fact]
    public async Task OllamaCloudKey_RejectedWith401_IsExit3_WithoutTheKeyAnywhere()
    {
        const string key = "ollama-cloud-SECRET-e2e-91ac";
        await using var h = await CliHarness.StartAsync("ollama",
            new Dictionary<string, string>(ProviderCases.Get("ollama").Env(new Uri("http://127.0.0.1:1/"))));
        h.Cli.Env["OLLAMA_HOST"] = $"127.0.0.1:{h.Server.BaseUrl.Port}";
        h.Cli.Env["OLLAMA_API_KEY"] = key;
        h.Server.Enqueue(OllamaWire.Error(401, "unauthorized"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("Bearer " + key, Assert.Single(h.ChatRequests).Header("authorization"));
        Assert.Contains("OLLAMA_API_KEY", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.Out + result.Error, StringComparison.Ordinal);
        Assert.Empty(h.FilesContaining(key));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
