using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using SpecSynth.Hosting;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>A 400 that refuses one parameter is retried once without it, warned about once, and remembered.</summary>
public sealed class ParameterRejectionTests : IAsyncLifetime
{
    private const string OpenAITemperature = "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.";
    private const string AnthropicTemperature = "`temperature` is deprecated for this model.";
    private const string AnthropicPrefill = "This model does not support assistant message prefill. The conversation must end with a user message.";

    private readonly ConcurrentQueue<string> warnings = new();
    private FakeProviderServer server = null!;

    // What a model refused is remembered process-wide by base URL and model; a fake server's port can be reused by a later
    // test, so each test gets model names nobody else has learned anything about.
    private readonly string reasoner = "my-reasoner-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string proxyModel = "my-proxy-model-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync() => server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private ProviderSettings OpenAI(string? model = null) => new()
    {
        Provider = "openai",
        Model = model ?? reasoner,
        BaseUrl = server.Url("v1"),
        Temperature = 0.2f,
        OnWarning = warnings.Enqueue,
    };

    private ProviderSettings Claude(string? model = null) => new()
    {
        Provider = "claude",
        Model = model ?? proxyModel,
        ApiKey = "sk-ant-test",
        BaseUrl = server.BaseUrl,
        Temperature = 0.2f,
        OnWarning = warnings.Enqueue,
    };

    private static bool Sent(RecordedRequest request, string property) => request.Json.TryGetProperty(property, out _);

    private static async Task<string> CallAsync(IChatClient client, bool streaming, IEnumerable<ChatMessage>? messages = null)
    {
        messages ??= [new(ChatRole.User, "Write gcd.")];
        if (!streaming)
        {
            return (await client.GetResponseAsync(messages)).Text;
        }
        var text = new System.Text.StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync(messages))
        {
            text.Append(update.Text);
        }
        return text.ToString();
    }

    private static FakeResponse OpenAIOk(bool streaming) => streaming ? OpenAIWire.Stream(["o", "k"]) : OpenAIWire.Json("ok");

    private static FakeResponse AnthropicOk(bool streaming) => streaming ? AnthropicWire.Stream(["o", "k"]) : AnthropicWire.Json("ok");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenAITemperatureRefused_IsRetriedOnceWithoutIt_WithOneWarning(bool streaming)
    {
        server.Enqueue(OpenAIWire.ParamError(400, OpenAITemperature, "unsupported_value", "temperature"), OpenAIOk(streaming));
        using var client = ProviderClientFactory.Create(OpenAI());

        var text = await CallAsync(client, streaming);

        Assert.Equal("ok", text);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(Sent(server.Requests[0], "temperature"));
        Assert.False(Sent(server.Requests[1], "temperature"));
        var warning = Assert.Single(warnings);
        Assert.Contains("temperature", warning, StringComparison.Ordinal);
        Assert.Contains(reasoner, warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AStreamEnumeratedWithATokenOfItsOwn_IsRetriedTheSame(bool sameToken)
    {
        server.Enqueue(OpenAIWire.ParamError(400, OpenAITemperature, "unsupported_value", "temperature"), OpenAIOk(streaming: true));
        using var client = ProviderClientFactory.Create(OpenAI());
        using var call = new CancellationTokenSource();
        using var enumeration = new CancellationTokenSource();
        var text = new System.Text.StringBuilder();

        var stream = client.GetStreamingResponseAsync([new(ChatRole.User, "Write gcd.")], null, call.Token)
            .WithCancellation(sameToken ? call.Token : enumeration.Token);
        await foreach (var update in stream)
        {
            text.Append(update.Text);
        }

        Assert.Equal("ok", text.ToString());
        Assert.Equal(2, server.Requests.Count);
        Assert.True(Sent(server.Requests[0], "temperature"));
        Assert.False(Sent(server.Requests[1], "temperature"));
        Assert.Single(warnings);
    }

    [Fact]
    public async Task AStream_SendsNothingUntilEnumerated_AndEndsOnceDone()
    {
        server.Enqueue(OpenAIOk(streaming: true));
        using var client = ProviderClientFactory.Create(OpenAI() with { Temperature = null });

        var stream = client.GetStreamingResponseAsync([new(ChatRole.User, "Write gcd.")]);
        Assert.Empty(server.Requests);
        var updates = stream.GetAsyncEnumerator();
        var count = 0;
        while (await updates.MoveNextAsync())
        {
            count++;
        }

        Assert.True(count > 0);
        Assert.False(await updates.MoveNextAsync());
        await updates.DisposeAsync();
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnthropicTemperatureRefused_IsRetriedOnceWithoutIt_WithOneWarning(bool streaming)
    {
        server.Enqueue(AnthropicWire.Error(400, "invalid_request_error", AnthropicTemperature), AnthropicOk(streaming));
        using var client = ProviderClientFactory.Create(Claude());

        var text = await CallAsync(client, streaming);

        Assert.Equal("ok", text);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(Sent(server.Requests[0], "temperature"));
        Assert.False(Sent(server.Requests[1], "temperature"));
        Assert.Contains("deprecated for this model", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARefusedParameter_IsNotSentAgainToTheSameModel(bool streaming)
    {
        server.Enqueue(OpenAIWire.ParamError(400, OpenAITemperature, "unsupported_value", "temperature"), OpenAIOk(streaming), OpenAIOk(streaming));
        // The memory is the run services' (one per host), shared by every client the host builds.
        var memory = new RunServices(TimeProvider.System, _ => null).RejectedParameters;
        using (var first = ProviderClientFactory.Create(OpenAI(), null, null, memory))
        {
            await CallAsync(first, streaming);
        }
        using var second = ProviderClientFactory.Create(OpenAI(), null, null, memory);

        Assert.Equal("ok", await CallAsync(second, streaming));

        Assert.Equal(3, server.Requests.Count);
        Assert.False(Sent(server.Requests[2], "temperature"));
        Assert.Single(warnings);
    }

    [Fact]
    public async Task ARefusalLearnedForOneModel_DoesNotStripItFromAnother()
    {
        server.Enqueue(OpenAIWire.ParamError(400, OpenAITemperature, "unsupported_value", "temperature"), OpenAIOk(false), OpenAIOk(false));
        using var client = ProviderClientFactory.Create(OpenAI());
        await CallAsync(client, streaming: false);

        await client.GetResponseAsync("hi", new ChatOptions { ModelId = "my-other-model" });

        Assert.True(Sent(server.Requests[2], "temperature"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Another400_IsNotRetried(bool streaming)
    {
        var fixture = RecordedFixture.Load(Path.Combine(TestPaths.Recorded, "openai", "error_400_unsupported_value.json"));
        server.Enqueue(fixture.ToResponse(), OpenAIOk(streaming));
        using var client = ProviderClientFactory.Create(OpenAI());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CallAsync(client, streaming));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("messages[0].role", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task AnUnknownModel400_IsNotRetried()
    {
        server.Enqueue(OpenAIWire.Error(400, $"The model `{reasoner}` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found"));
        using var client = ProviderClientFactory.Create(OpenAI());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CallAsync(client, streaming: false));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task TheRetry_HappensOnlyOnce()
    {
        server.Enqueue(OpenAIWire.ParamError(400, OpenAITemperature, "unsupported_value", "temperature"),
            OpenAIWire.ParamError(400, "Unsupported parameter: 'top_p' is not supported with this model.", "unsupported_parameter", "top_p"),
            OpenAIOk(false));
        using var client = ProviderClientFactory.Create(OpenAI());

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi", new ChatOptions { TopP = 0.5f }));

        Assert.Equal(ErrorKind.InvalidInput, ex.Kind);
        Assert.Contains("top_p", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnthropicPrefillRefused_IsRetriedWithoutTheTrailingAssistantMessage(bool streaming)
    {
        server.Enqueue(AnthropicWire.Error(400, "invalid_request_error", AnthropicPrefill), AnthropicOk(streaming));
        using var client = ProviderClientFactory.Create(Claude() with { Temperature = null });
        List<ChatMessage> messages = [new(ChatRole.User, "Write gcd."), new(ChatRole.Assistant, "```cs\n")];

        Assert.Equal("ok", await CallAsync(client, streaming, messages));

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("assistant", LastRole(server.Requests[0]));
        Assert.Equal("user", LastRole(server.Requests[1]));
        Assert.Contains("prefill", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatalogModelsThatRefusePrefill_NeverGetIt()
    {
        server.Enqueue(AnthropicOk(false));
        using var client = ProviderClientFactory.Create(Claude("claude-sonnet-4-6"));

        await CallAsync(client, streaming: false, [new(ChatRole.User, "Write gcd."), new(ChatRole.Assistant, "```cs\n")]);

        Assert.Equal("user", LastRole(Assert.Single(server.Requests)));
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task OpenAIMaxTokensRefused_IsRetriedWithoutAnOutputCap()
    {
        server.Enqueue(OpenAIWire.ParamError(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
            "unsupported_parameter", "max_tokens"), OpenAIOk(false));
        using var client = ProviderClientFactory.Create(OpenAI() with { Temperature = null });

        await CallAsync(client, streaming: false);

        Assert.True(Sent(server.Requests[0], "max_completion_tokens"));
        Assert.False(Sent(server.Requests[1], "max_completion_tokens") || Sent(server.Requests[1], "max_tokens"));
    }

    [Fact]
    public async Task AnthropicMaxTokensTooLarge_IsNotARefusal()
    {
        server.Enqueue(AnthropicWire.Error(400, "invalid_request_error", "max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for my-proxy-model"));
        using var client = ProviderClientFactory.Create(Claude());

        await Assert.ThrowsAsync<ProviderException>(() => CallAsync(client, streaming: false));

        Assert.Single(server.Requests);
    }

    private static string? LastRole(RecordedRequest request) =>
        request.Json.GetProperty("messages").EnumerateArray().Last().GetProperty("role").GetString();
}
