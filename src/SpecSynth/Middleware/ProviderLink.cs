using Microsoft.Extensions.AI;
using SpecSynth.Providers.Keys;

namespace SpecSynth.Middleware;

/// <summary>One provider of a fallback chain.</summary>
/// <param name="Name">The provider id (<c>claude</c>, <c>openai</c>, <c>ollama</c>), used in messages and events.</param>
/// <param name="Client">Its client, from <c>ProviderClientFactory</c> (package <c>SpecSynth.Providers</c>). Not disposed by the pipeline.</param>
/// <param name="ContextWindow">The model's context window in tokens (for the caller re-budgeting the context), or <c>null</c>.</param>
internal sealed record ProviderLink(string Name, IChatClient Client, int? ContextWindow = null)
{
    /// <summary>The client-side rate limits of this provider + key, or <c>null</c> for none.</summary>
    public RateLimitOptions? RateLimit { get; init; }

    /// <summary>Names the key, so that two links sharing a key share their buckets and circuit (e.g. the key variable's name). Default: none.</summary>
    public string? KeyAlias { get; init; }

    /// <summary>The model id, for messages.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// Several keys of this provider (each with its own client), or <c>null</c>/one for just <see cref="Client"/>:
    /// calls rotate over them and each has its own rate-limit buckets (see <see cref="KeyRotatingChatClient"/>).
    /// </summary>
    public IReadOnlyList<ProviderKey>? Keys { get; init; }

    /// <summary>Whether the client is a host's own (not built by <c>ProviderClientFactory</c> (package <c>SpecSynth.Providers</c>)), so its
    /// failures are translated into <see cref="SpecSynth.Providers.ProviderException"/> by the innermost layer.</summary>
    internal bool IsHostClient { get; init; }

    /// <summary>For a host's client: what the provider SDKs' exceptions say (when the <c>SpecSynth.Providers</c> package is
    /// registered), so an Anthropic or Ollama client of the host is translated like ours; <c>null</c> otherwise.</summary>
    internal SpecSynth.Providers.IProviderSdkErrors? HostSdkErrors { get; init; }

    /// <summary>The budgets this link's requests are checked against (paid providers only), or <c>null</c>.</summary>
    internal Budget.LinkBudget? Budget { get; init; }

    internal string StateKey => Keys is { Count: > 1 } keys ? Name + "+" + string.Join(",", keys.Select(k => k.Alias))
        : KeyAlias is null ? Name : Name + "+" + KeyAlias;
}
