using System.Text;

namespace SpecSynth.Providers;

/// <summary>
/// Everything needed to build a chat client for one provider. <see cref="ApiKey"/> is a secret:
/// <see cref="ToString"/> masks it, and no message built from these settings contains it.
/// </summary>
internal sealed record ProviderSettings
{
    /// <summary>The default <see cref="RequestTimeout"/>: 10 minutes.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The provider id: <c>claude</c>, <c>openai</c> or <c>ollama</c> (see <see cref="ProviderIds"/>).</summary>
    public required string Provider { get; init; }

    /// <summary>The model id sent to the provider.</summary>
    public required string Model { get; init; }

    /// <summary>The API key, or <c>null</c> (Ollama, or a local OpenAI-compatible server). Never logged.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// The base URL, or <c>null</c> for the provider's default. Anthropic: without <c>/v1</c>;
    /// OpenAI: with <c>/v1</c> (as <c>OPENAI_BASE_URL</c>); Ollama: the server root.
    /// </summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>The output cap sent with every request unless the call's options set one. Default 8192.</summary>
    public int MaxOutputTokens { get; init; } = 8192;

    /// <summary>The sampling temperature; <c>null</c> (the default) sends none.</summary>
    public float? Temperature { get; init; }

    /// <summary>Ollama only: the context window (<c>num_ctx</c>) to allocate; <c>null</c> lets the server choose.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>The time limit for one HTTP call (connect to last byte). Default 10 minutes.</summary>
    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    /// <summary>OpenAI: the organization sent as <c>OpenAI-Organization</c> (<c>OPENAI_ORG_ID</c>), or <c>null</c>.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>OpenAI: the project sent as <c>OpenAI-Project</c> (<c>OPENAI_PROJECT_ID</c>), or <c>null</c>.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Azure OpenAI: the <c>api-version</c> query parameter (<c>[llm.azure] api_version</c>), or <c>null</c> for
    /// <see cref="DefaultAzureApiVersion"/>.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>The Azure OpenAI <c>api-version</c> used when none is configured (the latest GA data-plane version).</summary>
    public const string DefaultAzureApiVersion = "2024-10-21";

    /// <summary>Azure OpenAI without a key: requests carry an Entra ID bearer token instead of <c>api-key</c>, from the
    /// host's <c>TokenCredential</c> (<c>SpecSynthProvidersOptions.AzureCredential</c>) or <c>DefaultAzureCredential</c>.</summary>
    public bool UsesEntraId => ProviderIds.Normalize(Provider) == ProviderIds.Azure && string.IsNullOrEmpty(ApiKey);

    /// <summary>The name of the environment variable the key came from (for messages), or <c>null</c>.</summary>
    public string? KeyVariable { get; init; }

    /// <summary>
    /// Receives warnings the client raises while it works (e.g. "model X refused temperature; retried without
    /// it"), one line each, without a trailing newline; <c>null</c> drops them. The CLI prints them on stderr.
    /// Called on the thread of the chat call; must not throw.
    /// </summary>
    public Action<string>? OnWarning { get; init; }

    /// <summary>The base URL actually used: <see cref="BaseUrl"/> or the provider's default.</summary>
    public Uri EffectiveBaseUrl => BaseUrl ?? DefaultBaseUrl(Provider);

    /// <summary>The provider's default base URL.</summary>
    public static Uri DefaultBaseUrl(string provider) => ProviderIds.Normalize(provider) switch
    {
        ProviderIds.Claude => new Uri("https://api.anthropic.com"),
        ProviderIds.OpenAI => new Uri("https://api.openai.com/v1"),
        ProviderIds.Ollama => new Uri("http://localhost:11434"),
        ProviderIds.Azure => throw new SpecSynthException(ErrorKind.InvalidInput, ProviderEnvironment.MissingAzureEndpoint),
        _ => throw new SpecSynthException(ErrorKind.InvalidInput,
            $"unknown provider '{provider}': use claude, openai, azure or ollama"),
    };

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Provider = ").Append(Provider)
            .Append(", Model = ").Append(Model)
            .Append(", ApiKey = ").Append(ApiKey is null ? "(none)" : "***")
            .Append(", BaseUrl = ").Append(BaseUrl is null ? null : Projects.SecretRedactor.MaskUrl(BaseUrl))
            .Append(", MaxOutputTokens = ").Append(MaxOutputTokens)
            .Append(", Temperature = ").Append(Temperature)
            .Append(", ContextWindow = ").Append(ContextWindow)
            .Append(", RequestTimeout = ").Append(RequestTimeout)
            .Append(", KeyVariable = ").Append(KeyVariable)
            .Append(", ApiVersion = ").Append(ApiVersion);
        return true;
    }
}
