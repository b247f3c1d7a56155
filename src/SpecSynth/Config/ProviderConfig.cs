namespace SpecSynth.Config;

/// <summary>One <c>[llm.NAME]</c> section of <c>specsynth.toml</c>. Holds no secret: keys are named, not stored.</summary>
public sealed record ProviderConfig
{
    /// <summary>Environment variables to read the API key from, in order. Empty for providers without keys.</summary>
    public IReadOnlyList<string> ApiKeyEnv { get; init; } = [];

    /// <summary>A command printing the API key (one key per line), run when no variable of <see cref="ApiKeyEnv"/> is
    /// set (<c>api_key_command</c>); <c>null</c> for none. Run without a shell unless <see cref="ApiKeyShell"/>.</summary>
    public string? ApiKeyCommand { get; init; }

    /// <summary>Whether <see cref="ApiKeyCommand"/> runs through <c>/bin/sh -c</c> (<c>cmd /c</c> on Windows)
    /// (<c>api_key_shell</c>). Default <c>false</c>: the command is split into arguments and run directly.</summary>
    public bool ApiKeyShell { get; init; }

    /// <summary>How long the output of <see cref="ApiKeyCommand"/> is used before the command runs again
    /// (<c>api_key_ttl</c>, in seconds); <c>null</c> for 5 minutes. A 401/403 runs it again at once.</summary>
    public TimeSpan? ApiKeyTtl { get; init; }

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

    /// <summary>Azure OpenAI only: the data-plane <c>api-version</c> (<c>api_version</c>, <c>YYYY-MM-DD</c> or
    /// <c>YYYY-MM-DD-preview</c>), or <c>null</c> for 2024-10-21.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Client-side limit of requests per minute for this provider, or <c>null</c> for none.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Client-side limit of tokens (input estimate + max output) per minute, or <c>null</c> for none.</summary>
    public int? TokensPerMinute { get; init; }
}
