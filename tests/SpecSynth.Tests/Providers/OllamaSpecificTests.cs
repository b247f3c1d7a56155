using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

public sealed class OllamaSpecificTests : IAsyncLifetime
{
    private FakeProviderServer server = null!;

    public async Task InitializeAsync() => server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private ProviderSettings Settings(string model = "llama3") =>
        new() { Provider = ProviderIds.Ollama, Model = model, BaseUrl = server.BaseUrl };

    [Fact]
    public async Task MissingModel_SaysToPullIt_AfterCheckingTheTags()
    {
        server.Router = r => r.Path == "/api/tags" ? OllamaWire.Tags("qwen2.5-coder:7b") : null;
        server.Enqueue(OllamaWire.Error(404, "model 'llama3' not found, try pulling it first"));
        using var client = ProviderClientFactory.Create(Settings());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Equal(404, ex.StatusCode);
        Assert.Contains("model 'llama3' is not pulled; run `ollama pull llama3`", ex.Message, StringComparison.Ordinal);
        Assert.Contains("qwen2.5-coder:7b", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["/api/chat", "/api/tags"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task OtherNotFound_KeepsOllamasOwnMessage_WhenTheModelIsPulled()
    {
        server.Router = r => r.Path == "/api/tags" ? OllamaWire.Tags("llama3:latest") : null;
        server.Enqueue(OllamaWire.Error(404, "something else is missing"));
        using var client = ProviderClientFactory.Create(Settings());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("something else is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoppedServer_SaysOllamaIsNotRunning()
    {
        var url = new Uri($"http://127.0.0.1:{ProviderConformanceTests.ClosedPort()}");
        using var client = ProviderClientFactory.Create(Settings() with { BaseUrl = url });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetStreamingResponseAsync("hi").ToListAsync().AsTask());

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.Contains($"Ollama is not running at {url}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ollama serve", ex.Message, StringComparison.Ordinal);
        Assert.Contains("OLLAMA_HOST", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContextWindow_IsSentAsNumCtx()
    {
        server.Enqueue(OllamaWire.Json("ok"));
        using var client = ProviderClientFactory.Create(Settings() with { ContextWindow = 65536 });

        await client.GetResponseAsync("hi");

        var body = Assert.Single(server.Requests).Json;
        Assert.Equal(65536, body.GetProperty("options").GetProperty("num_ctx").GetInt32());
        Assert.False(body.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task ErrorLineInTheMiddleOfTheStream_IsRetryableUnavailable()
    {
        var text = System.Text.Encoding.UTF8.GetString(OllamaWire.Stream(["partial "]).Body);
        var head = text[..(text.IndexOf('\n', StringComparison.Ordinal) + 1)];
        server.Enqueue(FakeResponse.Ndjson(head + "{\"error\":\"an error was encountered while running the model\"}\n"));
        using var client = ProviderClientFactory.Create(Settings());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetStreamingResponseAsync("hi").ToListAsync().AsTask());

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.True(ex.IsRetryable);
    }

    [Fact]
    public async Task OllamaCloudKey_IsSentAsABearerToken()
    {
        server.Enqueue(OllamaWire.Json("ok"));
        var settings = ProviderEnvironment.Resolve("ollama", "gpt-oss:120b", server.BaseUrl.ToString(), [], n => n == "OLLAMA_API_KEY" ? "ollama-cloud-key" : null);
        using var client = ProviderClientFactory.Create(settings);

        await client.GetResponseAsync("hi");

        Assert.Equal("Bearer ollama-cloud-key", Assert.Single(server.Requests).Header("authorization"));
    }

    [Fact]
    public async Task StalledStream_FailsAfterTheRequestTimeout()
    {
        server.Enqueue(OllamaWire.Stream(["one ", "two"]) with { ChunkSizes = [40], DelayPerChunk = TimeSpan.FromMilliseconds(700) });
        using var client = ProviderClientFactory.Create(Settings() with { RequestTimeout = TimeSpan.FromMilliseconds(400) });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetStreamingResponseAsync("hi").ToListAsync().AsTask());

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.True(ex.IsRetryable);
        Assert.Contains("did not answer within", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContextLength_ComesFromApiShow()
    {
        server.Router = r => r.Path == "/api/show" ? OllamaWire.Show("llama", 131072) : null;

        var info = await OllamaModelInfo.GetAsync(Settings());

        Assert.Equal("llama", info.Architecture);
        Assert.Equal(131072, info.TrainedContextLength);
        Assert.Null(info.ConfiguredNumCtx);
        Assert.Equal(131072, info.ContextLength);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("llama3", request.Json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task ContextLength_PrefersTheModelfilesNumCtx()
    {
        server.Router = r => r.Path == "/api/show" ? OllamaWire.Show("qwen2", 32768, "num_ctx                        8192\nstop                           \"<|im_end|>\"") : null;

        var info = await OllamaModelInfo.GetAsync(Settings());

        Assert.Equal(32768, info.TrainedContextLength);
        Assert.Equal(8192, info.ConfiguredNumCtx);
        Assert.Equal(8192, info.ContextLength);
    }

    [Fact]
    public async Task ModelInfo_ForAMissingModel_SaysToPullIt()
    {
        server.Router = r => OllamaWire.Error(404, "model 'llama3' not found");

        var ex = await Assert.ThrowsAsync<ProviderException>(() => OllamaModelInfo.GetAsync(Settings()));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("ollama pull llama3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelInfo_WhenOllamaIsStopped_SaysItIsNotRunning()
    {
        var settings = Settings() with { BaseUrl = new Uri($"http://127.0.0.1:{ProviderConformanceTests.ClosedPort()}") };

        var ex = await Assert.ThrowsAsync<ProviderException>(() => OllamaModelInfo.GetAsync(settings));

        Assert.Equal(ErrorKind.ProviderUnavailable, ex.Kind);
        Assert.Contains("Ollama is not running", ex.Message, StringComparison.Ordinal);
    }
}
