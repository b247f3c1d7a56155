using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Prompting;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Context.Tokens;

/// <summary>Anthropic cache breakpoints over real HTTP: where <c>cache_control</c> lands in the request body, and the
/// cache-write / cache-read usage that comes back.</summary>
public sealed class PromptCachingTests : IAsyncLifetime
{
    private const string Key = "sk-ant-test-SECRET";
    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>About <paramref name="tokens"/> tokens of project-like text.</summary>
    internal static string Stable(int tokens) =>
        string.Concat(Enumerable.Range(0, tokens / 10).Select(i => $"<file path=\"src/F{i}.cs\">x</file>\n"));

    internal static List<ChatMessage> Prompt(string system, string stable, string volatilePart) =>
    [
        new(ChatRole.System, system),
        new(ChatRole.User, [PromptCaching.MarkBreakpoint(new TextContent(stable)), new TextContent(volatilePart)]),
    ];

    private IChatClient Client(string model = "claude-sonnet-4-5") => ProviderClientFactory.Create(new ProviderSettings
    {
        Provider = ProviderIds.Claude,
        Model = model,
        ApiKey = Key,
        BaseUrl = _server.BaseUrl,
        MaxOutputTokens = 1000,
    });

    private static JsonElement Blocks(RecordedRequest request) =>
        request.Json.GetProperty("messages")[0].GetProperty("content");

    private static bool Cached(JsonElement block) =>
        block.TryGetProperty("cache_control", out var cc) && cc.GetProperty("type").GetString() == "ephemeral";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MarkedStablePrefix_CarriesCacheControl_OnThatBlockOnly(bool stream)
    {
        _server.Enqueue(stream ? AnthropicWire.Stream(["ok"]) : AnthropicWire.Json("ok"));
        using var client = Client();
        var prompt = Prompt("You write C#.", Stable(3000), "## Spec\nAdd a command.");

        if (stream)
        {
            await foreach (var _ in client.GetStreamingResponseAsync(prompt))
            {
            }
        }
        else
        {
            await client.GetResponseAsync(prompt);
        }

        var request = Assert.Single(_server.Requests);
        var blocks = Blocks(request);
        Assert.Equal(2, blocks.GetArrayLength());
        Assert.True(Cached(blocks[0]), request.Body[..Math.Min(400, request.Body.Length)]);
        Assert.Equal(Stable(3000), blocks[0].GetProperty("text").GetString());
        Assert.False(blocks[1].TryGetProperty("cache_control", out _));
        Assert.Equal("## Spec\nAdd a command.", blocks[1].GetProperty("text").GetString());
        // The short system prompt gets no breakpoint of its own.
        var system = request.Json.GetProperty("system");
        Assert.True(system.ValueKind == JsonValueKind.String || system.EnumerateArray().All(b => !b.TryGetProperty("cache_control", out _)));
        Assert.DoesNotContain("specsynth.cache_breakpoint", request.Body, StringComparison.Ordinal);
        // The caller's content is left as it was (a fallback provider gets it unchanged).
        Assert.Null(prompt[1].Contents[0].AdditionalProperties!.GetValueOrDefault("anthropic:cache_control"));
        Assert.Single(prompt[1].Contents[0].AdditionalProperties!);
    }

    [Fact]
    public async Task ShortPrefix_IsNotMarked()
    {
        _server.Enqueue(AnthropicWire.Json("ok"));
        using var client = Client();

        await client.GetResponseAsync(Prompt("You write C#.", Stable(300), "spec"));

        Assert.DoesNotContain("cache_control", Assert.Single(_server.Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HaikuNeedsTheLongerMinimum()
    {
        _server.Enqueue(AnthropicWire.Json("ok"), AnthropicWire.Json("ok"));
        using var client = Client("claude-haiku-4-5");

        await client.GetResponseAsync(Prompt("You write C#.", Stable(1500), "spec")); // enough for Sonnet, not for Haiku
        await client.GetResponseAsync(Prompt("You write C#.", Stable(3000), "spec"));

        Assert.DoesNotContain("cache_control", _server.Requests[0].Body, StringComparison.Ordinal);
        Assert.True(Cached(Blocks(_server.Requests[1])[0]));
    }

    [Fact]
    public async Task LongSystemPrompt_GetsItsOwnBreakpoint()
    {
        _server.Enqueue(AnthropicWire.Json("ok"));
        using var client = Client();

        await client.GetResponseAsync(Prompt(Stable(2000), Stable(2000), "spec"));

        var request = Assert.Single(_server.Requests);
        var system = request.Json.GetProperty("system");
        Assert.Equal(JsonValueKind.Array, system.ValueKind);
        Assert.True(Cached(system[system.GetArrayLength() - 1]), request.Body[..Math.Min(400, request.Body.Length)]);
        Assert.True(Cached(Blocks(request)[0]));
        Assert.False(Blocks(request)[1].TryGetProperty("cache_control", out _));
    }

    [Fact]
    public async Task UnmarkedPrompt_IsSentAsBefore()
    {
        _server.Enqueue(AnthropicWire.Json("ok"));
        using var client = Client();

        await client.GetResponseAsync([new(ChatRole.System, "You write C#."), new(ChatRole.User, Stable(5000))]);

        Assert.DoesNotContain("cache_control", Assert.Single(_server.Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedPrefix_ReportsCacheWriteThenCacheRead()
    {
        _server.Enqueue(AnthropicWire.Json("ok", input: 40, output: 10, cacheWrite: 3100),
            AnthropicWire.Stream(["ok"], input: 45, output: 12, cacheRead: 3100));
        using var client = Client();

        var first = await client.GetResponseAsync(Prompt("You write C#.", Stable(3000), "spec one"));
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Prompt("You write C#.", Stable(3000), "spec two")))
        {
            updates.Add(update);
        }

        Assert.Equal(new TokenUsage(40, 10, CacheWriteTokens: 3100), UsageMapper.FromResponse(first));
        Assert.Equal(new TokenUsage(45, 12, CacheReadTokens: 3100), UsageMapper.FromResponse(updates.ToChatResponse()));
        Assert.All(_server.Requests, r => Assert.True(Cached(Blocks(r)[0])));
    }

    [Fact]
    public async Task OpenAI_SendsNoCacheControl_ButReportsCachedTokens()
    {
        _server.Enqueue(OpenAIWire.Json("ok", prompt: 3200, completion: 10, cached: 3072));
        using var client = ProviderClientFactory.Create(new ProviderSettings
        {
            Provider = ProviderIds.OpenAI,
            Model = "gpt-4.1",
            ApiKey = Key,
            BaseUrl = _server.Url("v1"),
            MaxOutputTokens = 1000,
        });

        var response = await client.GetResponseAsync(Prompt("You write C#.", Stable(3000), "spec"));

        Assert.DoesNotContain("cache_control", Assert.Single(_server.Requests).Body, StringComparison.Ordinal);
        Assert.Equal(new TokenUsage(128, 10, CacheReadTokens: 3072), UsageMapper.FromResponse(response));
    }

    [Fact]
    public async Task AServerThatCachesPrefixes_ReadsTheStablePrefixOnTheSecondSpec()
    {
        var cache = new PrefixCachingFake();
        _server.Router = cache.Route;
        using var client = Client();
        var stable = Stable(3000);
        var stableTokens = (stable.Length + 3) / 4 + ("You write C#.".Length + 3) / 4;

        var first = await client.GetResponseAsync(Prompt("You write C#.", stable, "## Spec one\nAdd a flag."));
        var second = await client.GetResponseAsync(Prompt("You write C#.", stable, "## Spec two\nAdd a command."));
        var changed = await client.GetResponseAsync(Prompt("You write C#.", stable + "<file path=\"new.cs\">y</file>\n", "## Spec three"));

        var u1 = UsageMapper.FromResponse(first);
        var u2 = UsageMapper.FromResponse(second);
        var u3 = UsageMapper.FromResponse(changed);
        Assert.Equal((stableTokens, 0L), (u1.CacheWriteTokens, u1.CacheReadTokens));
        Assert.Equal((0L, stableTokens), (u2.CacheWriteTokens, u2.CacheReadTokens));
        Assert.True(u2.InputTokens < 20, $"only the spec is uncached input, got {u2.InputTokens}");
        Assert.True(u3.CacheWriteTokens > stableTokens, "a changed project is a new prefix, written again");
        Assert.Equal(0, u3.CacheReadTokens);
    }
}
