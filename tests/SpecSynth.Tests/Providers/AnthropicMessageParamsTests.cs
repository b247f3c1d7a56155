using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>The messages converted ahead of the SDK's chat adapter (<see cref="AnthropicMessageParams"/>) make the request
/// body the adapter makes of the same prompt alone, byte for byte: text of every kind (a lone surrogate too), roles, blank and trimmed texts, cache
/// control, the options the adapter reads, raw parameters (the temperature's), and the prompts it leaves to the adapter.</summary>
public sealed class AnthropicMessageParamsTests : IAsyncLifetime
{
    private const string Model = "test-model";
    private const int MaxTokens = 100;

    /// <summary>Escapes, quotes, control and non-ASCII characters, a surrogate pair, HTML-sensitive and JSON-looking text.</summary>
    private const string Awkward = "Line one\nline\ttwo \"quoted\" \\ back\r\n<tag attr='x'>&amp;</tag> + é ü 漢字 😀 \u0001\u001f \u2028 {\"a\":[1]}";

    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Prompts => ["plain", "no-system", "awkward", "turns", "cached", "cached-ttl", "two-systems", "lone-surrogate"];

    public static TheoryData<string> Options => ["none", "empty", "limits", "temperature", "stops-and-instructions"];

    private static List<ChatMessage> Prompt(string name) => name switch
    {
        "plain" => [new(ChatRole.System, "You are a careful engineer."), new(ChatRole.User, "Request 7: write the function described below.\nIt sums.")],
        "no-system" => [new(ChatRole.User, "Write gcd.")],
        "awkward" => [new(ChatRole.System, Awkward), new(ChatRole.User, Awkward)],
        "turns" =>
        [
            new(ChatRole.System, "sys"),
            new(ChatRole.User, [new TextContent("first"), new TextContent("  \n "), new TextContent("second  ")]),
            new(ChatRole.Assistant, "an answer with trailing blanks \n\t "),
            new(ChatRole.Assistant, "   "),
            new(ChatRole.User, [new TextContent("")]),
            new(ChatRole.Tool, "a tool's text"),
            new(ChatRole.User, "  last, with leading blanks"),
        ],
        "cached" =>
        [
            new(ChatRole.System, [new TextContent("cached system").WithCacheControl(new CacheControlEphemeral())]),
            new(ChatRole.User, [new TextContent("context").WithCacheControl(new CacheControlEphemeral()), new TextContent("the spec")]),
            new(ChatRole.Assistant, [new TextContent("kept answer  ").WithCacheControl(new CacheControlEphemeral())]),
            new(ChatRole.User, "again"),
        ],
        "cached-ttl" =>
        [
            new(ChatRole.User, [new TextContent("context").WithCacheControl(Ttl.Ttl1h), new TextContent("the spec")]),
        ],
        "two-systems" => [new(ChatRole.System, "one"), new(ChatRole.System, "two"), new(ChatRole.User, "spec")],
        "lone-surrogate" => [new(ChatRole.User, "half a pair \ud800 here, the other half \udc00")],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static ChatOptions? OptionsOf(string name)
    {
        switch (name)
        {
            case "none":
                return null;
            case "empty":
                return new ChatOptions();
            case "limits":
                return new ChatOptions { MaxOutputTokens = 7, ModelId = "other-model" };
            case "temperature":
                var options = new ChatOptions { Temperature = 0.3f, MaxOutputTokens = 50 };
                AnthropicTemperature.Apply(options, Model, MaxTokens);
                return options;
            default:
                return new ChatOptions { StopSequences = ["END"], Instructions = "Be brief." };
        }
    }

    private IChatClient Adapter() =>
        new AnthropicClient(new ClientOptions { ApiKey = "sk-test", BaseUrl = _server.BaseUrl.ToString().TrimEnd('/'), MaxRetries = 0 })
            .AsIChatClient(Model, MaxTokens);

    /// <summary>The body the adapter alone sends, then the body sent with the messages converted ahead of it.</summary>
    private async Task<(string Alone, string Converted)> BodiesAsync(List<ChatMessage> prompt, Func<ChatOptions?> options, bool streaming)
    {
        using var alone = Adapter();
        using var converted = new AnthropicMessageParamsChatClient(Adapter(), Model, MaxTokens);
        foreach (var client in new[] { alone, converted })
        {
            if (streaming)
            {
                _server.Enqueue(AnthropicWire.Stream(["ok"]));
                await foreach (var _ in client.GetStreamingResponseAsync(prompt, options()))
                {
                }
            }
            else
            {
                _server.Enqueue(AnthropicWire.Json("ok"));
                await client.GetResponseAsync(prompt, options());
            }
        }
        Assert.Equal(2, _server.Requests.Count);
        return (_server.Requests[0].Body, _server.Requests[1].Body);
    }

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task EveryTextPrompt_IsConvertedAhead_AndSentAsTheAdapterSendsIt(string name)
    {
        Assert.True(AnthropicMessageParams.TryPrepare(Prompt(name), null, Model, MaxTokens, out _, out _));

        var (alone, converted) = await BodiesAsync(Prompt(name), () => null, streaming: true);

        Assert.Equal(alone, converted);
    }

    [Theory]
    [MemberData(nameof(Options))]
    public async Task WithTheOptionsTheAdapterReads_TheBodyIsTheSame_StreamingOrNot(string name)
    {
        foreach (var streaming in new[] { true, false })
        {
            var (alone, converted) = await BodiesAsync(Prompt("cached"), () => OptionsOf(name), streaming);

            Assert.Equal(alone, converted);
            await _server.DisposeAsync();
            _server = await FakeProviderServer.StartAsync();
        }
    }

    [Fact]
    public void TheCallersOptions_AreNotModified_AndTheSystemMessagesGoToTheAdapter()
    {
        var options = OptionsOf("temperature")!;
        var factory = options.RawRepresentationFactory;
        var prompt = Prompt("two-systems");

        Assert.True(AnthropicMessageParams.TryPrepare(prompt, options, Model, MaxTokens, out var system, out var prepared));

        Assert.Same(factory, options.RawRepresentationFactory);
        Assert.NotSame(options, prepared);
        Assert.Equal(prompt.Take(2), system);
        var start = Assert.IsType<MessageCreateParams>(prepared!.RawRepresentationFactory!(null!));
        Assert.Equal(0.3, start.RawBodyData["temperature"].GetDouble(), 4);
        Assert.Equal("""[{"role":"user","content":[{"type":"text","text":"spec"}]}]""", start.RawBodyData["messages"].GetRawText());
    }

    [Fact]
    public async Task PromptsTheAdapterConvertsOtherwise_AreLeftToIt_AndSentAsBefore()
    {
        List<ChatMessage>[] others =
        [
            [new(ChatRole.User, "first"), new(ChatRole.System, "a late system message"), new(ChatRole.User, "second")],
            [new(ChatRole.User, [new TextContent("look"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")])],
            [new(ChatRole.User, [new TextContent("raw") { RawRepresentation = new ContentBlockParam(new TextBlockParam { Text = "raw" }) }])],
            [new(ChatRole.System, "only a system prompt")],
            [new(ChatRole.System, "sys"), new(ChatRole.User, "   ")],
        ];
        foreach (var prompt in others)
        {
            Assert.False(AnthropicMessageParams.TryPrepare(prompt, null, Model, MaxTokens, out var passed, out var options));
            Assert.Equal(prompt, passed);
            Assert.Null(options);
        }
        for (var i = 0; i < others.Length; i++)
        {
            var (alone, converted) = await BodiesAsync(others[i], () => null, streaming: true);

            Assert.Equal(alone, converted);
            await _server.DisposeAsync();
            _server = await FakeProviderServer.StartAsync();
        }
    }
}
