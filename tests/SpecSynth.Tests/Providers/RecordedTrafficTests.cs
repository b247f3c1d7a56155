using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>Replays every recorded exchange in ../shared/fixtures/recorded through the real client path.</summary>
public sealed class RecordedTrafficTests : IAsyncLifetime
{
    private FakeProviderServer server = null!;

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "anthropic", "openai", "ollama" })
        {
            foreach (var file in RecordedFixture.Files(folder))
            {
                data.Add(folder + "/" + Path.GetFileName(file));
            }
        }
        return data;
    }

    public async Task InitializeAsync() => server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task RecordedResponse_ComesOutAsRecorded(string file)
    {
        var fixture = RecordedFixture.Load(Path.Combine(TestPaths.Recorded, file));
        server.Enqueue(fixture.ToResponse());
        using var client = ProviderClientFactory.Create(Settings(fixture));
        List<ChatMessage> prompt = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hello")];

        if (fixture.Status >= 400)
        {
            var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(prompt));
            Assert.Equal(fixture.Status, ex.StatusCode);
            Assert.Equal(fixture.Status is 401 or 403 ? ErrorKind.Auth : ErrorKind.InvalidInput, ex.Kind);
            Assert.Contains(ProviderErrorMessage(fixture.BodyText), ex.Message, StringComparison.Ordinal);
            return;
        }
        if (RecordedExpectation.InBandError(fixture) is { } inBand)
        {
            // An error the server sent after its 200 (OpenRouter's error chunk, Groq's error event): the call fails
            // quoting the server; a 4xx code in the payload makes it permanent, anything else retryable.
            var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetStreamingResponseAsync(prompt).ToListAsync().AsTask());
            Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
            Assert.Contains(inBand.Message, ex.Message, StringComparison.Ordinal);
            Assert.Equal(inBand.Code is not (>= 400 and < 500), ex.IsRetryable);
            return;
        }
        if (RecordedExpectation.StreamFailed(fixture))
        {
            var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetStreamingResponseAsync(prompt).ToListAsync().AsTask());
            Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
            Assert.True(ex.IsRetryable);
            return;
        }
        var expected = RecordedExpectation.From(fixture);
        ChatResponse response;
        if (fixture.Stream)
        {
            List<ChatResponseUpdate> updates = [];
            await foreach (var update in client.GetStreamingResponseAsync(prompt))
            {
                updates.Add(update);
            }
            response = updates.ToChatResponse();
        }
        else
        {
            response = await client.GetResponseAsync(prompt);
        }

        Assert.Equal(expected.Text, response.Text);
        Assert.Equal(expected.StopReason, StopReasons.From(response.FinishReason));
        Assert.Equal(expected.Usage, UsageMapper.FromResponse(response));
    }

    [Theory]
    [InlineData("anthropic/json_prompt_cache_write.json", false, 1163, 0)]
    [InlineData("anthropic/json_prompt_cache_read.json", false, 0, 1163)]
    [InlineData("anthropic/stream_prompt_cache_write.json", true, 1165, 0)]
    [InlineData("anthropic/stream_prompt_cache_read.json", true, 0, 1165)]
    public async Task RecordedPromptCaching_IsSplitExactly(string file, bool stream, long write, long read)
    {
        var fixture = RecordedFixture.Load(Path.Combine(TestPaths.Recorded, file));
        server.Enqueue(fixture.ToResponse());
        using var client = ProviderClientFactory.Create(Settings(fixture));

        var response = stream
            ? (await client.GetStreamingResponseAsync("Hello").ToListAsync()).ToChatResponse()
            : await client.GetResponseAsync("Hello");

        var usage = UsageMapper.FromResponse(response);
        Assert.Equal(write, usage.CacheWriteTokens);
        Assert.Equal(read, usage.CacheReadTokens);
        Assert.InRange(usage.InputTokens, 1, 100);
    }

    [Fact]
    public async Task RecordedOpenAICachedTokens_AreReadsOutOfThePrompt()
    {
        var fixture = RecordedFixture.Load(Path.Combine(TestPaths.Recorded, "openai/json_prompt_cached_tokens.json"));
        server.Enqueue(fixture.ToResponse());
        using var client = ProviderClientFactory.Create(Settings(fixture));

        var usage = UsageMapper.FromResponse(await client.GetResponseAsync("Hello"));

        Assert.Equal(1024, usage.CacheReadTokens);
        Assert.Equal(0, usage.CacheWriteTokens);
    }

    private ProviderSettings Settings(RecordedFixture fixture)
    {
        var path = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Recorded, fixture.Provider, fixture.Name + ".json")))
            .RootElement.GetProperty("request").GetProperty("path").GetString()!;
        var model = fixture.RequestBody.TryGetProperty("model", out var m) ? m.GetString()! : "model";
        return fixture.Provider switch
        {
            "anthropic" => new() { Provider = ProviderIds.Claude, Model = model, ApiKey = "sk-ant-test", BaseUrl = server.BaseUrl },
            "openai" => new() { Provider = ProviderIds.OpenAI, Model = model, ApiKey = "sk-test", BaseUrl = server.Url(path.TrimStart('/')[..^"/chat/completions".Length]) },
            _ => new() { Provider = ProviderIds.Ollama, Model = model, BaseUrl = server.BaseUrl },
        };
    }

    private static string ProviderErrorMessage(string body)
    {
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        return error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetProperty("message").GetString()!;
    }
}
