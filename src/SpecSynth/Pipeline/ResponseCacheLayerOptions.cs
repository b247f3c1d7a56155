using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using SpecSynth.Caching;
using SpecSynth.Middleware;

namespace SpecSynth;

/// <summary>The settings of <see cref="SpecSynthChatClientBuilderExtensions.UseSpecSynthResponseCache(ChatClientBuilder, ResponseCacheLayerOptions)"/>.</summary>
public sealed record ResponseCacheLayerOptions
{
    /// <summary>Where entries live; <c>null</c> takes the builder services' <see cref="IDistributedCache"/>.</summary>
    public IDistributedCache? Storage { get; init; }

    /// <summary>Read and write, refresh (write only) or off. Default <see cref="CacheMode.ReadWrite"/>.</summary>
    public CacheMode Mode { get; init; } = CacheMode.ReadWrite;

    /// <summary>How long an entry lives. Default <see cref="CacheOptions.DefaultTtl"/> (a week).</summary>
    public TimeSpan Ttl { get; init; } = CacheOptions.DefaultTtl;

    /// <summary>What identifies the client's replies beyond the request (provider, model, endpoint; never a secret), so two
    /// clients sharing a store do not share entries. Default: <c>host</c>.</summary>
    public IReadOnlyList<string> ChainKeys { get; init; } = [SpecSynthChatClientBuilderExtensions.HostProvider];

    internal void Validate()
    {
        RetryOptions.Check(Ttl > TimeSpan.Zero, "the response cache's ttl must be positive");
        ArgumentNullException.ThrowIfNull(ChainKeys);
    }
}
