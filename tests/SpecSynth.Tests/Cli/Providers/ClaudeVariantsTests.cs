using System.Text;
using System.Text.Json;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>Anthropic replies the CLI must handle besides the common path: refusals and the older usage shape.</summary>
public sealed class ClaudeVariantsTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Refusal_IsExit5_NamingTheContentFilter_AndWritesNothing(bool stream)
    {
        await using var h = await CliHarness.StartAsync("claude");
        const string text = "I can't help with that request.";
        h.Server.Enqueue(stream ? AnthropicWire.Stream([text], "refusal") : AnthropicWire.Json(text, "refusal"));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("content_filter", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(h.Out));
    }

    [Fact]
    public async Task MessageDeltaWithOnlyOutputTokens_KeepsTheInputAndCacheCountsOfMessageStart()
    {
        await using var h = await CliHarness.StartAsync("claude");
        var expected = h.Case.ExpectedUsage;
        var body = Encoding.UTF8.GetString(h.Case.Reply(ModelAnswers.TwoFiles, stream: true).Body);
        var start = body.IndexOf("event: message_delta", StringComparison.Ordinal);
        var end = body.IndexOf("event: message_stop", StringComparison.Ordinal);
        body = body[..start] + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + expected.OutputTokens + "}}\n\n" + body[end..];
        h.Server.Enqueue(FakeResponse.Sse(body));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream: true));

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Out);
        var usage = doc.RootElement.GetProperty("usage");
        Assert.Equal((expected.InputTokens, expected.OutputTokens, expected.CacheWriteTokens, expected.CacheReadTokens), (usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64(),
            usage.GetProperty("cache_write_tokens").GetInt64(), usage.GetProperty("cache_read_tokens").GetInt64()));
    }
}
