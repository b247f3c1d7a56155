using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

public sealed class MappingTests
{
    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("length", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("stop_sequence", "stop_sequence")]
    [InlineData("content_filter", "content_filter")]
    [InlineData("refusal", "content_filter")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("tool_calls", "tool_calls")]
    [InlineData("pause_turn", "pause_turn")]
    [InlineData(null, "unknown")]
    public void RawStopReasons_MapToOurs(string? raw, string expected)
    {
        Assert.Equal(expected, StopReasons.FromRaw(raw));
        if (raw is not null)
        {
            Assert.Equal(expected, StopReasons.From(new ChatFinishReason(raw)));
        }
    }

    [Fact]
    public void WellKnownFinishReasons_MapToOurs()
    {
        Assert.Equal("stop", StopReasons.From(ChatFinishReason.Stop));
        Assert.Equal("length", StopReasons.From(ChatFinishReason.Length));
        Assert.Equal("tool_calls", StopReasons.From(ChatFinishReason.ToolCalls));
        Assert.Equal("content_filter", StopReasons.From(ChatFinishReason.ContentFilter));
        Assert.Equal("unknown", StopReasons.From(null));
    }

    [Fact]
    public void Usage_SplitsCacheWritesAndReadsOutOfTheInput()
    {
        var usage = new UsageDetails
        {
            InputTokenCount = 42 + 1163 + 18250,
            OutputTokenCount = 311,
            CachedInputTokenCount = 18250,
            AdditionalCounts = new() { [UsageMapper.CacheWriteKey] = 1163 },
        };

        Assert.Equal(new TokenUsage(42, 311, 1163, 18250), UsageMapper.FromUsageDetails(usage));
        Assert.Equal(TokenUsage.Zero, UsageMapper.FromUsageDetails(null));
        Assert.Equal(new TokenUsage(0, 5), UsageMapper.FromUsageDetails(new UsageDetails { OutputTokenCount = 5 }));
    }

    [Theory]
    [InlineData("""{"usage":{"server_tool_use":{"web_search_requests":1}}}""", """{"usage":{"server_tool_use":{"web_search_requests":1,"web_fetch_requests":0}}}""")]
    [InlineData("""{"server_tool_use": {}}""", """{"server_tool_use": {"web_fetch_requests":0}}""")]
    [InlineData("""{"server_tool_use":{"web_search_requests":1,"web_fetch_requests":2}}""", """{"server_tool_use":{"web_search_requests":1,"web_fetch_requests":2}}""")]
    [InlineData("""{"type":"server_tool_use","id":"srvtoolu_01","input":{}}""", """{"type":"server_tool_use","id":"srvtoolu_01","input":{}}""")]
    [InlineData("""{"type":"message_delta","usage":{"output_tokens":1}}""", """{"type":"message_delta","usage":{"output_tokens":1}}""")]
    public void AnthropicUsagePatch_AddsOnlyTheMissingCount(string line, string expected)
    {
        Assert.Equal(expected, AnthropicUsagePatchHandler.Patch(line));
        // The byte pre-check lets a line skip the patch only when the patch would leave it as it is.
        Assert.Equal(expected != line || line.Contains("\"server_tool_use\"", StringComparison.Ordinal),
            AnthropicUsagePatchHandler.MayChange(System.Text.Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void ErrorBodies_OfAllThreeProviders_AreRead()
    {
        Assert.Equal(new ProviderErrorBody("Overloaded", "overloaded_error"),
            ProviderErrorBody.Parse("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));
        Assert.Equal(new ProviderErrorBody("The model `gpt-9` does not exist", "model_not_found"),
            ProviderErrorBody.Parse("""{"error":{"message":"The model `gpt-9` does not exist","type":"invalid_request_error","param":null,"code":"model_not_found"}}"""));
        Assert.Equal(new ProviderErrorBody("model 'x' not found", null), ProviderErrorBody.Parse("""{"error":"model 'x' not found"}"""));
        Assert.Equal(new ProviderErrorBody("<html>Bad Gateway</html>", null), ProviderErrorBody.Parse("<html>Bad Gateway</html>"));
    }
}
