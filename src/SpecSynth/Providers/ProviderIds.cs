namespace SpecSynth.Providers;

/// <summary>The provider names specsynth understands (lower case, as written in config and flags).</summary>
internal static class ProviderIds
{
    /// <summary>Anthropic Claude (Messages API).</summary>
    public const string Claude = "claude";

    /// <summary>OpenAI Chat Completions, or any OpenAI-compatible server.</summary>
    public const string OpenAI = "openai";

    /// <summary>Azure OpenAI: Chat Completions on a deployment (<c>/openai/deployments/{name}/chat/completions</c>).</summary>
    public const string Azure = "azure";

    /// <summary>Ollama's native API.</summary>
    public const string Ollama = "ollama";

    /// <summary>Returns the canonical id for a user-written name (<c>anthropic</c> means <c>claude</c>), or <c>null</c>.</summary>
    public static string? Normalize(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "claude" or "anthropic" => Claude,
        "openai" => OpenAI,
        "ollama" => Ollama,
        "azure" or "azure-openai" => Azure,
        _ => null,
    };
}
