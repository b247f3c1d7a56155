namespace SpecSynth.Providers;

/// <summary>The limits of one provider of a chain, for planning what fits its context window.</summary>
/// <param name="Provider">The provider id (<c>claude</c>, <c>openai</c>, <c>ollama</c>, <c>mock</c>).</param>
/// <param name="Model">The model id.</param>
/// <param name="ContextWindow">The model's context window in tokens (Ollama: what the server reports).</param>
/// <param name="MaxOutputTokens">The provider's configured <c>max_tokens</c>.</param>
internal sealed record ProviderLimit(string Provider, string Model, int ContextWindow, int MaxOutputTokens)
{
    /// <summary>The settings the provider's client was built from (for Anthropic's token-counting endpoint); <c>null</c>
    /// for the mock or when no key is at hand. Holds the key: never printed.</summary>
    internal ProviderSettings? Settings { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Provider} {Model} (context {ContextWindow}, max output {MaxOutputTokens})";
}
