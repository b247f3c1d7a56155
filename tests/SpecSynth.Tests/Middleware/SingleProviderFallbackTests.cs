using Microsoft.Extensions.AI;
using SpecSynth.Middleware;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Middleware;

/// <summary>The fallback layer over one provider alone (no fallback configured): its stream is the provider's, the first
/// update named as the chain names it, a failure the provider's own exception, no fallback event.</summary>
public sealed class SingleProviderFallbackTests
{
    [Fact]
    public async Task TheFirstUpdateAlone_NamesTheProvider_WithNothingSkipped()
    {
        var observer = new RecordingResilienceObserver(TimeProvider.System);
        using var fallback = new FallbackChatClient([("openai", new StreamScriptClient((["a", "b"], ChatFinishReason.Stop, null)))], observer);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in fallback.GetStreamingResponseAsync("go"))
        {
            updates.Add(update);
        }

        Assert.Equal(["a", "b", ""], updates.Select(u => u.Text));
        Assert.Equal("openai", updates[0].AdditionalProperties![ResiliencePipeline.ProviderProperty]);
        Assert.Empty(Assert.IsType<string[]>(updates[0].AdditionalProperties![ResiliencePipeline.SkippedProperty]));
        Assert.All(updates.Skip(1), u => Assert.Null(u.AdditionalProperties));
        Assert.Empty(observer.Events);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AFailure_IsTheProvidersOwnException_BeforeOrAfterAnUpdate(bool afterAnUpdate)
    {
        var failure = new ProviderException(ErrorKind.ProviderUnavailable, "openai", "overloaded", 529, isRetryable: true);
        var observer = new RecordingResilienceObserver(TimeProvider.System);
        using var fallback = new FallbackChatClient(
            [("openai", new StreamScriptClient((afterAnUpdate ? ["a"] : [], null, failure)))], observer);

        var seen = new List<string>();
        var thrown = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in fallback.GetStreamingResponseAsync("go"))
            {
                seen.Add(update.Text);
            }
        });

        Assert.Same(failure, thrown);
        Assert.Equal(afterAnUpdate ? ["a"] : [], seen);
        Assert.Empty(observer.Events);
    }
}
