namespace SpecSynth.Config;

/// <summary>One <c>[llm.NAME]</c> section of <c>specsynth.toml</c>. Holds no secret: keys are named, not stored.</summary>
public sealed record ProviderConfig
{
    /// <summary>Environment variables to read the API key from, in order. Empty for providers without keys.</summary>
    public IReadOnlyList<string> ApiKeyEnv { get; init; } = [];

    /// <summary>The model id, or <c>null</c> for the provider's default.</summary>
    public string? Model { get; init; }

    /// <summary>Maximum output tokens, or <c>null</c> for the default.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Sampling temperature; <c>null</c> sends none.</summary>
    public float? Temperature { get; init; }

    /// <summary>A system prompt replacing the template's, or <c>null</c>.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>The API base URL (<c>base_url</c>, or <c>host</c> for Ollama), or <c>null</c> for the default.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Client-side limit of requests per minute for this provider, or <c>null</c> for none.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Client-side limit of tokens (input estimate + max output) per minute, or <c>null</c> for none.</summary>
    public int? TokensPerMinute { get; init; }
}
