using SpecSynth.Providers;

namespace SpecSynth.Usage;

/// <summary>One provider of the chain as the usage middleware prices it.</summary>
/// <param name="Provider">The provider name.</param>
/// <param name="Model">Its configured model.</param>
/// <param name="Pricing">Its catalog entry, or <c>null</c> for a free provider (mock, local Ollama).</param>
internal sealed record UsageChainEntry(string Provider, string? Model, ModelInfo? Pricing);
