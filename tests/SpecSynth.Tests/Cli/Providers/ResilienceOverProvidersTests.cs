using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>The resilience pipeline as the CLI wires it: retries, continuation and the fallback chain over the real
/// fake servers, with short configured delays; every event reported on stderr and in --json.</summary>
public sealed class ResilienceOverProvidersTests
{
    private const string FastRetries = "[retry]\nmax_attempts = 3\ninitial_delay = 0.01\nmax_delay = 0.02\n";

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task TransientErrorsTwice_ThenSuccess_IsRetriedAndReported(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Configure(FastRetries);
        h.Server.Enqueue(h.Case.Error(503, "busy", "overloaded"));
        h.Server.Enqueue(h.Case.Error(529, "overloaded", "overloaded"));
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(3, h.ChatRequests.Count);
        Assert.Equal(2, Count(result.Error, "resilience: retry " + h.Case.Provider));
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "retry"));
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], h.OutputFiles);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task ReplyCutAtMaxTokens_IsContinuedAndStitched(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Configure("[retry]\nmax_attempts = 1\ncontinuation_rounds = 2\n");
        var cut = ModelAnswers.TwoFiles.Length / 2;
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles[..cut], stream, stop: "length"));
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles[cut..], stream));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(2, h.ChatRequests.Count);
        Assert.Equal(ModelAnswers.TestsFile, File.ReadAllText(Path.Combine(h.Out, "tests", "GreeterTests.cs")));
        Assert.Contains("continuation", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstProviderFailing_FallsBackToTheNext_WhichIsReported()
    {
        await using var claude = await CliHarness.StartAsync("claude");
        await using var openai = await FakeProviderServer.StartAsync();
        claude.Configure(FastRetries.Replace("max_attempts = 3", "max_attempts = 2", StringComparison.Ordinal));
        claude.Server.Enqueue(claude.Case.Error(500, "down", "api_error"));
        claude.Server.Enqueue(claude.Case.Error(500, "down", "api_error"));
        openai.Enqueue(ProviderCases.Get("openai").Reply(ModelAnswers.TwoFiles, stream: true));
        claude.Cli.Env["OPENAI_API_KEY"] = "sk-test-fallback";
        claude.Cli.Env["OPENAI_BASE_URL"] = new Uri(openai.BaseUrl, "v1").ToString();

        var result = await claude.Cli.RunAsync("generate", claude.SpecPath, "--out", claude.Out, "--json", "--provider", "claude,openai");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("openai", doc.RootElement.GetProperty("provider").GetString());
        var skipped = Assert.Single(doc.RootElement.GetProperty("skipped_providers").EnumerateArray());
        Assert.StartsWith("claude", skipped.GetString(), StringComparison.Ordinal);
        Assert.Contains("resilience: fallback claude", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, claude.ChatRequests.Count);
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], claude.OutputFiles);
    }

    [Fact]
    public async Task AllProvidersFailing_IsExit4_NamingEach_AndWritesNothing()
    {
        await using var claude = await CliHarness.StartAsync("claude");
        await using var openai = await FakeProviderServer.StartAsync();
        claude.Configure(FastRetries.Replace("max_attempts = 3", "max_attempts = 1", StringComparison.Ordinal));
        claude.Server.Enqueue(claude.Case.Error(503, "down", "overloaded_error"));
        openai.Enqueue(ProviderCases.Get("openai").Error(502, "bad gateway", "server_error"));
        claude.Cli.Env["OPENAI_API_KEY"] = "sk-test-fallback";
        claude.Cli.Env["OPENAI_BASE_URL"] = new Uri(openai.BaseUrl, "v1").ToString();

        var result = await claude.Cli.RunAsync("generate", claude.SpecPath, "--out", claude.Out, "--provider", "claude,openai");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("claude", result.Error, StringComparison.Ordinal);
        Assert.Contains("openai", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(claude.Out));
    }

    [Fact]
    public async Task PromptTooLong_IsRetriedOnceWithLessProjectContext()
    {
        await using var h = await CliHarness.StartAsync("claude");
        File.WriteAllText(Path.Combine(h.Project, "Big.cs"), "// big\n" + new string('x', 60_000) + "\n");
        File.AppendAllText(h.SpecPath, "\nThe greeting MUST also be logged through `Big.cs`.\n");
        CountTokens(h);
        h.Server.Enqueue(h.Case.Error(400, "prompt is too long: 250000 tokens > 200000 maximum", "invalid_request_error"));
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream: true));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("retrying once with less project context", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, h.ChatRequests.Count);
        Assert.Contains("<file path=\"Big.cs\">", h.Case.UserPrompt(h.ChatRequests[0].Json), StringComparison.Ordinal);
        Assert.DoesNotContain("<file path=\"Big.cs\">", h.Case.UserPrompt(h.ChatRequests[1].Json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptStillTooLong_IsBadInput_AfterTwoRequests()
    {
        await using var h = await CliHarness.StartAsync("claude");
        CountTokens(h);
        h.Server.Enqueue(h.Case.Error(400, "prompt is too long: 250000 tokens > 200000 maximum", "invalid_request_error"));
        h.Server.Enqueue(h.Case.Error(400, "prompt is too long: 210000 tokens > 200000 maximum", "invalid_request_error"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not fit the context window", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, h.ChatRequests.Count);
        Assert.False(Directory.Exists(h.Out));
    }

    // The shrunk prompt fills its budget, so its estimate is near the limit and Anthropic's counting endpoint is asked.
    internal static void CountTokens(CliHarness h)
    {
        var inner = h.Server.Router;
        h.Server.Router = r => AnthropicWire.CountTokensRoute(c => AnthropicWire.TokenCount(c.Body.Length / 4))(r) ?? inner?.Invoke(r);
    }

    private static int Count(string text, string value)
    {
        var n = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }
}
