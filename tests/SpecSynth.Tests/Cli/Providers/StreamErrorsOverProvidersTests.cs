using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>
/// Errors a provider reports after its 200 (SSE error events, in-band error chunks, unknown finish reasons): the
/// command fails with the provider's own message, never prints the key, and never crashes.
/// </summary>
public sealed class StreamErrorsOverProvidersTests
{
    /// <summary>
    /// ProviderErrorTranslator.FromTransport formats AnthropicSseException's ApiMessage without
    /// ProviderDescriptions.Redact, unlike every other path that quotes a provider's text.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnthropicErrorEventInTheStream_EchoingTheKey_DoesNotPrintTheKey(bool json)
    {
        await using var h = await CliHarness.StartAsync("claude");
        var key = h.Case.Key!;
        var head = System.Text.Encoding.UTF8.GetString(AnthropicWire.Stream(["I'll implement "]).Body);
        head = head[..head.IndexOf("event: content_block_stop", StringComparison.Ordinal)];
        h.Server.Enqueue(FakeResponse.Sse(head + AnthropicWire.ErrorEvent("overloaded_error", "Overloaded (api key " + key + ")")));

        var result = json
            ? await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true))
            : await h.RunAsync("generate", h.SpecPath, "--out", h.Out);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("overloaded_error", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.Out + result.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// OpenRouter-style compatible servers end a failed stream with <c>finish_reason: "error"</c> (and an error
    /// object). The OpenAI SDK throws ArgumentOutOfRangeException ("Unknown ChatFinishReason value") for it;
    /// ProviderErrorTranslator.IsProviderFailure does not list that type, so the exception escapes CliApp
    /// (no exit code, a crash with a stack trace in the real process).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CompatibleServerFinishReasonError_IsExit4_NotACrash(bool stream)
    {
        await using var h = await CliHarness.StartAsync("openai-compatible");
        h.Server.Enqueue(stream ? OpenRouterStreamError() : OpenRouterJsonError());

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.Equal(4, result.ExitCode);
        Assert.False(Directory.Exists(h.Out));
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal("provider_unavailable", doc.RootElement.GetProperty("error").GetProperty("kind").GetString());
    }

    /// <summary>
    /// A server that reports an error after the 200 (OpenAI: a <c>data: {"error":{...}}</c> payload; Ollama: an
    /// <c>{"error":"..."}</c> NDJSON line) gets the right exit code (4), but the message throws the server's text
    /// away and claims the connection was cut: neither SDK raises on these payloads, so the stream simply ends
    /// without a finish reason and ProviderErrorsChatClient reports "ended before the reply was complete
    /// (connection cut?)". The user never sees e.g. Ollama's "model requires more system memory".
    /// </summary>
    [Theory]
    [InlineData("openai")]
    [InlineData("ollama")]
    public async Task ErrorPayloadAfterThe200_IsReportedWithTheServersMessage(string provider)
    {
        await using var h = await CliHarness.StartAsync(provider);
        const string message = "model requires more system memory (9.1 GiB) than is available (4.2 GiB)";
        h.Server.Enqueue(provider == "ollama"
            ? FakeResponse.Ndjson("{\"error\":\"" + message + "\"}\n")
            : FakeResponse.Sse("data: {\"error\":{\"message\":\"" + message + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Real traffic (../shared/fixtures/recorded/openai): OpenRouter's in-band error chunk ("Token limit reached")
    /// after a <c>finish_reason: "length"</c> chunk is ignored, so <c>explain</c> succeeds (exit 0) with an empty
    /// text; Groq's named <c>event: error</c> frame is reported as a cut connection without its message.
    /// Expected: a failure that quotes the server's message.
    /// </summary>
    [Theory]
    [InlineData("compat_openrouter_stream_comments_and_error_chunk", "Token limit reached")]
    [InlineData("compat_groq_stream_error_event", "Tool call validation failed")]
    public async Task RecordedCompatibleStreamErrors_FailTheCommand_QuotingTheServer(string fixture, string message)
    {
        await using var h = await CliHarness.StartAsync("openai-compatible");
        h.Server.Enqueue(RecordedFixture.Load(Path.Combine(TestPaths.Recorded, "openai", fixture + ".json")).ToResponse());

        var result = await h.RunAsync("explain", h.CodePath, "--json");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    private const string Head = "{\"id\":\"gen-1764060000-abc\",\"provider\":\"Together\",\"model\":\"qwen/qwen-2.5-coder-32b-instruct\",\"object\":\"chat.completion.chunk\",\"created\":1764060000,";

    private static FakeResponse OpenRouterStreamError()
    {
        var first = JsonSerializer.Serialize("```csharp\n// filepath: src/Greeter.cs\n" + ModelAnswers.GreeterFile + "```\n\n");
        return FakeResponse.Sse(
            "data: " + Head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":" + first + "},\"finish_reason\":null}]}\n\n" +
            "data: " + Head + "\"error\":{\"code\":502,\"message\":\"Provider disconnected\"},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n" +
            "data: [DONE]\n\n");
    }

    private static FakeResponse OpenRouterJsonError() => FakeResponse.Json(
        "{\"id\":\"gen-1764060000-abc\",\"object\":\"chat.completion\",\"created\":1764060000,\"model\":\"qwen/qwen-2.5-coder-32b-instruct\"," +
        "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":\"error\"}]," +
        "\"error\":{\"code\":502,\"message\":\"Provider disconnected\"}," +
        "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":0,\"total_tokens\":10}}");
}
