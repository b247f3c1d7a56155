using System.Reflection;
using Microsoft.Extensions.AI;
using SpecSynth.Providers.Keys;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Pipeline;

/// <summary>Lists the clients of a built pipeline, outermost first, following the first provider and the first key.</summary>
internal static class PipelineLayers
{
    private static readonly PropertyInfo Inner =
        typeof(DelegatingChatClient).GetProperty("InnerClient", BindingFlags.NonPublic | BindingFlags.Instance)!;

    /// <summary>The type name of every client from <paramref name="client"/> down to the first that wraps nothing.</summary>
    public static IReadOnlyList<string> Of(IChatClient client)
    {
        var names = new List<string>();
        for (IChatClient? c = client; c is not null;)
        {
            names.Add(c.GetType().Name);
            c = c switch
            {
                FallbackChatClient fallback => fallback.First,
                KeyRotatingChatClient keys => keys.First,
                DelegatingChatClient delegating => (IChatClient?)Inner.GetValue(delegating),
                _ => null,
            };
        }
        return names;
    }

    /// <summary>The pipeline's layer names (<c>SpecSynthPipeline.Layers</c>) of the clients in <paramref name="types"/>.</summary>
    public static IReadOnlyList<string> Named(IEnumerable<string> types) =>
        [.. types.Select(t => t switch
        {
            "RedactingChatClient" => "Redaction",
            "UsageRecordingChatClient" => "UsageLedger",
            "BudgetFallbackChatClient" => "BudgetFallback",
            "ResponseCachingChatClient" => "ResponseCache",
            "FallbackChatClient" => "Fallback",
            "ContinuationChatClient" => "Continuation",
            "RetryChatClient" => "Retry",
            "BudgetChatClient" => "Budget",
            "CircuitBreakerChatClient" => "CircuitBreaker",
            "KeyRotatingChatClient" => "KeyRotation",
            "RateLimitChatClient" => "RateLimits",
            "AttemptTimeoutChatClient" => "AttemptTimeout",
            "ContextLengthChatClient" => "ContextLength",
            "HostErrorsChatClient" => "HostErrors",
            "ListenedTelemetryChatClient" => "Telemetry",
            _ => null,
        }).OfType<string>()];
}
