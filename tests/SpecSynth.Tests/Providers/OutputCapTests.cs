using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Providers;

/// <summary>Output caps: planned with the model's maximum, and learned (retried once, warned once) when a server names its own.</summary>
public sealed class OutputCapTests : IAsyncLifetime
{
    private FakeProviderServer server = null!;

    public async Task InitializeAsync() => server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("""{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 16000 > 4096, which is the maximum allowed number of output tokens for claude-3-haiku-20240307"}}""", 4096)]
    [InlineData("""{"error":{"message":"max_tokens is too large: 16000. This model supports at most 4096 completion tokens, whereas you provided 16000.","type":"invalid_request_error","param":"max_tokens","code":null}}""", 4096)]
    [InlineData("""{"error":{"message":"max_completion_tokens is too large: 40000. This model supports at most 32768 completion tokens, whereas you provided 40000.","type":"invalid_request_error","param":"max_completion_tokens","code":"invalid_value"}}""", 32768)]
    [InlineData("""{"error":{"message":"max_tokens must be less than or equal to `8192`, the maximum value for max_tokens is less than the context_window for this model","type":"invalid_request_error"}}""", 8192)]
    [InlineData("""{"object":"error","message":"'max_tokens' or 'max_completion_tokens' is too large: 16000. This model's maximum context length is 8192 tokens and your request has 120 input tokens (16000 > 8192 - 120).","type":"BadRequestError","param":null,"code":400}""", 8072)]
    [InlineData("""{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 16120 tokens (120 in the messages, 16000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}""", 3976)]
    [InlineData("""{"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 120 `inputs` tokens and 16000 `max_new_tokens`","error_type":"validation"}""", 3976)]
    public void ServersNamingTheirMaximum_AreRecognised(string body, int expected) =>
        Assert.Equal(expected, OutputCapRejection.Detect(400, body));

    [Theory]
    [InlineData("""{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 16120 tokens (9000 in the messages, 7120 in the completion).","type":"BadRequestError","code":400}""")]
    [InlineData("""{"error":{"message":"temperature: must be less than or equal to 1","type":"invalid_request_error"}}""")]
    [InlineData("""{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 250000 tokens > 200000 maximum"}}""")]
    public void OtherRefusals_AndPromptsTooLong_AreNotOutputCaps(string body) =>
        Assert.Null(OutputCapRejection.Detect(400, body));

    [Fact]
    public async Task OpenAIsTooLargeCap_IsRetriedOnceWithItsMaximum_RememberedAndWarnedOnce()
    {
        server.Enqueue(
            OpenAIWire.ParamError(400, "max_tokens is too large: 16000. This model supports at most 4096 completion tokens, whereas you provided 16000.",
                "invalid_value", "max_tokens"),
            OpenAIWire.Json("one"),
            OpenAIWire.Json("two"));
        var warnings = new ConcurrentQueue<string>();
        using var client = ProviderClientFactory.Create(new ProviderSettings
        {
            Provider = "openai",
            Model = "gpt-4-0613",
            ApiKey = "sk-test",
            BaseUrl = server.Url("v1"),
            MaxOutputTokens = 16000,
            OnWarning = warnings.Enqueue,
        });

        Assert.Equal("one", (await client.GetResponseAsync("hi")).Text);
        Assert.Equal("two", (await client.GetResponseAsync("again")).Text);

        Assert.Equal([16000, 4096, 4096], server.Requests.Select(r => r.Json.GetProperty("max_completion_tokens").GetInt32()));
        var warning = Assert.Single(warnings);
        Assert.Contains("accepts at most 4096 output tokens", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACapRefusedAgainAtItsMaximum_IsNotRetriedForever()
    {
        var refusal = AnthropicWire.Error(400, "invalid_request_error",
            "max_tokens: 4096 > 4096, which is the maximum allowed number of output tokens for claude-3-haiku-20240307");
        server.Enqueue(AnthropicWire.Error(400, "invalid_request_error",
            "max_tokens: 8192 > 4096, which is the maximum allowed number of output tokens for claude-3-haiku-20240307"), refusal);
        using var client = ProviderClientFactory.Create(new ProviderSettings
        {
            Provider = "claude",
            Model = "claude-3-haiku-20240307",
            ApiKey = "sk-ant-test",
            BaseUrl = server.BaseUrl,
            MaxOutputTokens = 8192,
        });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(400, ex.StatusCode);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData("claude", "claude-3-haiku-20240307", 16000, 8192)]
    [InlineData("openai", "gpt-4-0613", 16000, 8192)]
    [InlineData("claude", "claude-3-5-haiku", 16000, 8192)]
    [InlineData("claude", "claude-sonnet-4-5", 16000, 16000)]
    [InlineData("ollama", "qwen2.5-coder:7b", 16000, 16000)]
    public void ThePlannedCap_IsTheSmallerOfTheConfiguredOneAndTheModelsMaximum(string provider, string model, int configured, int expected) =>
        Assert.Equal(expected, ModelCatalog.BuiltIn.PlannedOutputCap(provider, model, configured));

    [Fact]
    public async Task ContextLimits_PlanAnUnknownModelWithTheCapItsWarningNames()
    {
        var config = new global::SpecSynth.Config.SpecSynthConfig { Providers = ["claude"], ModelOverride = "claude-3-haiku-20240307" };
        var warnings = new List<string>();

        var limits = await ProviderLimits.FromConfigAsync(config, _ => null, withKeys: false, warnings.Add);

        Assert.Equal(8192, Assert.Single(limits).MaxOutputTokens);
        Assert.Contains("max output 8192", Assert.Single(warnings), StringComparison.Ordinal);
    }
}
