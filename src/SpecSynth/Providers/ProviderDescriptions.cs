using SpecSynth.Projects;

namespace SpecSynth.Providers;

/// <summary>Names used in user-facing messages.</summary>
internal static class ProviderDescriptions
{
    /// <summary>"Anthropic", "OpenAI", "the OpenAI-compatible server at http://…", "Ollama".</summary>
    public static string Display(ProviderSettings settings) => ProviderIds.Normalize(settings.Provider) switch
    {
        ProviderIds.Claude => "Anthropic",
        ProviderIds.OpenAI when settings.BaseUrl is not null && !IsOfficialOpenAI(settings.BaseUrl) =>
            $"the OpenAI-compatible server at {Url(settings.BaseUrl)}",
        ProviderIds.OpenAI => "OpenAI",
        ProviderIds.Ollama => "Ollama",
        ProviderIds.Azure => "Azure OpenAI",
        _ => settings.Provider,
    };

    /// <summary>The environment variable the key is normally read from.</summary>
    public static string DefaultKeyVariable(string provider) => ProviderIds.Normalize(provider) switch
    {
        ProviderIds.Claude => "ANTHROPIC_API_KEY",
        ProviderIds.OpenAI => "OPENAI_API_KEY",
        ProviderIds.Azure => "AZURE_OPENAI_API_KEY",
        _ => "OLLAMA_API_KEY",
    };

    /// <summary>The environment variable the base URL is read from (it overrides the config's <c>base_url</c>).</summary>
    public static string BaseUrlVariable(string provider) => ProviderIds.Normalize(provider) switch
    {
        ProviderIds.Claude => "ANTHROPIC_BASE_URL",
        ProviderIds.OpenAI => "OPENAI_BASE_URL",
        ProviderIds.Azure => "AZURE_OPENAI_ENDPOINT",
        _ => "OLLAMA_HOST",
    };

    public static bool IsOfficialOpenAI(Uri url) => url.Host.Equals("api.openai.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>A base URL for messages, its credentials masked (<see cref="SecretRedactor.MaskUrl(Uri)"/>).</summary>
    public static string Url(Uri url) => SecretRedactor.MaskUrl(url);

    /// <summary>Removes the API key, the base URL's credentials and anything secret-looking from a text that came from
    /// outside (some servers and SDKs echo the key or the URL).</summary>
    public static string Redact(string text, ProviderSettings settings)
    {
        text = WithoutKey(text, settings);
        var url = settings.EffectiveBaseUrl;
        foreach (var form in (string[])[url.AbsoluteUri, url.OriginalString, url.AbsoluteUri.TrimEnd('/')])
        {
            if (form.Length > 0)
            {
                text = text.Replace(form, Url(url), StringComparison.Ordinal);
            }
        }
        return SecretRedactor.Redact(text);
    }

    /// <summary><paramref name="text"/> with the API key (4 characters or more) replaced by <c>***</c>.</summary>
    public static string WithoutKey(string text, ProviderSettings settings) =>
        settings.ApiKey is { Length: >= 4 } key ? text.Replace(key, "***", StringComparison.Ordinal) : text;
}
