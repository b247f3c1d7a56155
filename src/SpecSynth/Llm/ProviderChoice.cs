using Microsoft.Extensions.AI;
using SpecSynth.Llm.Providers;

namespace SpecSynth.Llm;

/// <summary>The chat client chosen for a run and the settings to call it with.</summary>
/// <param name="Name">The provider name (<c>claude</c>, <c>openai</c>, <c>ollama</c>, <c>mock</c>).</param>
/// <param name="Model">The model id.</param>
/// <param name="Client">The client; the caller disposes it.</param>
/// <param name="MaxOutputTokens">Maximum output tokens.</param>
/// <param name="Temperature">Temperature, or <c>null</c> to send none.</param>
/// <param name="SystemPrompt">A configured system prompt, or <c>null</c> for the template's.</param>
public sealed record ProviderChoice(string Name, string Model, IChatClient Client, int MaxOutputTokens, float? Temperature, string? SystemPrompt)
{
    /// <summary>The model's context window in tokens (from the catalog, or Ollama's <c>/api/show</c>).</summary>
    public int ContextWindow { get; init; } = 128_000;

    /// <summary>The first provider's model prices, or <c>null</c> when calls cost nothing (mock, local Ollama).</summary>
    public ModelInfo? Pricing { get; init; }

    /// <summary>Prices per provider of the chain (<c>null</c> for free ones), for pricing whichever answered.</summary>
    public IReadOnlyDictionary<string, ModelInfo?> PricingByProvider { get; init; } = new Dictionary<string, ModelInfo?>();

    /// <summary>Things the user should know before the call (e.g. an unknown model priced conservatively).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The list-price cost of <paramref name="usage"/> in USD when <paramref name="provider"/> answered
    /// (0 for free providers).</summary>
    public decimal Cost(string provider, TokenUsage usage) =>
        (PricingByProvider.TryGetValue(provider, out var pricing) ? pricing : Pricing)?.Cost(usage) ?? 0m;
}
