using Microsoft.Extensions.AI;
using SpecSynth.Caching;
using SpecSynth.Config;
using SpecSynth.Hosting;
using SpecSynth.Pipeline;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Pipeline;

/// <summary>The one order of the chat-client pipeline, as the client factory builds it (docs/architecture.md, README).</summary>
public sealed class PipelineOrderTests : IDisposable
{
    private readonly TempDir _state = new();

    private RunServices Services() => new(TimeProvider.System, name => name switch
    {
        "SPECSYNTH_HOME" => _state.Path,
        "ANTHROPIC_API_KEY" => "sk-ant-api03-test-key-0000",
        _ => null,
    }, providers: SpecSynthProviders.Factory);

    // Everything on: a paid provider with a named key, budgets, the response cache.
    private static SpecSynthConfig Config() => new()
    {
        Providers = ["claude"],
        Budget = new SpecSynth.Budget.BudgetOptions { RunUsd = 5m },
    };

    [Fact]
    public async Task TheFactoryBuildsEveryLayer_InTheOneOrder()
    {
        var choice = await ChatClientFactory.CreateAsync(Config(), Services(), cacheMode: CacheMode.ReadWrite);
        using var client = choice.Client;

        var layers = PipelineLayers.Of(client);

        Assert.Equal(
        [
            "RedactingChatClient", "UsageRecordingChatClient", "BudgetFallbackChatClient", "OwningClient", "ResponseCachingChatClient",
            "FallbackChatClient", "ContinuationChatClient", "RetryChatClient", "BudgetChatClient", "CircuitBreakerChatClient",
            "KeyRotatingChatClient", "RateLimitChatClient", "AttemptTimeoutChatClient", "ContextLengthChatClient",
            "ListenedTelemetryChatClient", "OpenTelemetryChatClient", "ChatSpanDetailsChatClient", "ProviderErrorsChatClient", "ParameterRejectionChatClient", "AnthropicCachingChatClient",
            "AnthropicEmptyUpdatesChatClient", "AnthropicMessageParamsChatClient",
            "AnthropicChatClient",
        ], layers);
        Assert.Equal([.. SpecSynthPipeline.Layers.Where(l => l != "HostErrors")], PipelineLayers.Named(layers));
    }

    [Fact]
    public async Task AHostClient_IsTheOnlyLink_WithItsErrorsTranslatedInnermost()
    {
        var host = new ScriptedChatClient("ok");
        var choice = await ChatClientFactory.CreateAsync(Config(), Services(), cacheMode: CacheMode.ReadWrite, hostClient: host);
        using var client = choice.Client;

        var layers = PipelineLayers.Of(client);

        // Not priced (the host pays its provider) and no key of ours: no budget check, no key rotation.
        Assert.Equal([.. SpecSynthPipeline.Layers.Where(l => l is not ("Budget" or "KeyRotation"))], PipelineLayers.Named(layers));
        Assert.Equal(nameof(ScriptedChatClient), layers[^1]);
        Assert.Equal(SpecSynthChatClientBuilderExtensions.HostProvider, choice.Name);
    }

    [Fact]
    public void UseSpecSynth_AddsTheResilienceLayers_InTheSameOrder()
    {
        using var client = new ChatClientBuilder(new ScriptedChatClient("ok")).UseSpecSynth().Build();

        Assert.Equal([.. SpecSynthPipeline.Layers.Where(l => l is not ("UsageLedger" or "BudgetFallback" or "ResponseCache" or "Budget" or "KeyRotation"))],
            PipelineLayers.Named(PipelineLayers.Of(client)));
    }

    public void Dispose() => _state.Dispose();
}
