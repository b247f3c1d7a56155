using Microsoft.Extensions.AI;

namespace SpecSynth.Providers;

/// <summary>The chat client chosen for a run (the whole provider chain behind one client) and what the caller needs
/// to describe and price its answers. Model, output cap and temperature stay with each provider of the chain.</summary>
/// <param name="Name">The first provider's name (<c>claude</c>, <c>openai</c>, <c>ollama</c>, <c>mock</c>).</param>
/// <param name="Model">The first provider's model id.</param>
/// <param name="Client">The client; the caller disposes it.</param>
/// <param name="SystemPrompt">A configured system prompt, or <c>null</c> for the template's.</param>
internal sealed record ProviderChoice(string Name, string Model, IChatClient Client, string? SystemPrompt)
{
    /// <summary>Prices per provider of the chain (<c>null</c> for free ones: mock, local Ollama).</summary>
    public IReadOnlyDictionary<string, ModelInfo?> PricingByProvider { get; init; } = new Dictionary<string, ModelInfo?>();

    /// <summary>The limits of every provider of the chain, in order (the context is planned for the tightest).</summary>
    public IReadOnlyList<ProviderLimit> Limits { get; init; } = [];

    /// <summary>Things the user should know before the call (e.g. an unknown model priced conservatively).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The list-price cost of <paramref name="usage"/> in USD when <paramref name="provider"/> answered
    /// (0 for free providers and providers outside the chain).</summary>
    public decimal Cost(string provider, TokenUsage usage) =>
        PricingByProvider.TryGetValue(provider, out var pricing) ? pricing?.Cost(usage) ?? 0m : 0m;
}
