namespace SpecSynth;

/// <summary>A model of the built-in catalog.</summary>
/// <param name="Provider">The provider (<c>claude</c>, <c>openai</c>, <c>ollama</c>).</param>
/// <param name="Id">The model id.</param>
/// <param name="ContextWindow">The context window, in tokens.</param>
/// <param name="MaxOutputTokens">The largest output the model gives, in tokens.</param>
/// <param name="InputPerMillion">USD per million uncached input tokens.</param>
/// <param name="OutputPerMillion">USD per million output tokens.</param>
/// <param name="CacheWritePerMillion">USD per million tokens written to the provider's prompt cache.</param>
/// <param name="CacheReadPerMillion">USD per million tokens read from the provider's prompt cache.</param>
public sealed record KnownModel(string Provider, string Id, int ContextWindow, int MaxOutputTokens, decimal InputPerMillion,
    decimal OutputPerMillion, decimal CacheWritePerMillion, decimal CacheReadPerMillion);
