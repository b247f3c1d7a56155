using System.Globalization;
using System.Net;

namespace SpecSynth.Providers;

/// <summary>
/// Resolves <see cref="ProviderSettings"/> from flags, the config file and the official environment
/// variables. Precedence for the base URL: flag &gt; environment (<c>ANTHROPIC_BASE_URL</c>,
/// <c>OPENAI_BASE_URL</c>, <c>AZURE_OPENAI_ENDPOINT</c>, <c>OLLAMA_HOST</c>) &gt; config file &gt; the provider's default. The key is read
/// from the first set variable of <c>apiKeyEnvNames</c>, else the official one.
/// Azure OpenAI has no default endpoint: a missing one is <see cref="ErrorKind.InvalidInput"/>.
/// A missing key for <c>claude</c> or <c>openai</c> is an <see cref="ErrorKind.Auth"/> error raised before
/// any request, except for an OpenAI-compatible server on a loopback address (localhost, 127.x, ::1),
/// which gets a placeholder key. Azure OpenAI without a key uses Entra ID (<see cref="ProviderSettings.UsesEntraId"/>). Ollama needs no key; <c>OLLAMA_API_KEY</c> (Ollama's cloud) is sent as a
/// bearer token when set.
/// </summary>
internal static class ProviderEnvironment
{
    /// <summary>The default Ollama address.</summary>
    public const string DefaultOllamaHost = "http://localhost:11434";

    /// <summary>Builds the settings. Throws <see cref="SpecSynthException"/> for an unknown provider, a bad URL or a missing key.</summary>
    /// <param name="provider"><c>claude</c>, <c>openai</c> or <c>ollama</c>.</param>
    /// <param name="model">The model id; <c>null</c> uses <see cref="ModelCatalog.DefaultModel"/>.</param>
    /// <param name="baseUrlFromConfig">The base URL from the config file, or <c>null</c>.</param>
    /// <param name="apiKeyEnvNames">Variables to read the key from, in order (e.g. the config's <c>api_key_env</c>); empty means the official one.</param>
    /// <param name="getEnv">Reads an environment variable (tests pass a dictionary lookup).</param>
    /// <param name="baseUrlFromFlag">The base URL from a command-line flag, or <c>null</c>.</param>
    /// <param name="maxOutputTokens">The output cap, or <c>null</c> for 8192.</param>
    /// <param name="temperature">The temperature, or <c>null</c> to send none.</param>
    /// <param name="requestTimeout">The per-call time limit, or <c>null</c> for 10 minutes.</param>
    /// <param name="fallbackKey">The key (and its alias) used when no variable is set: from <c>api_key_command</c> or the
    /// key store (<see cref="Keys.ApiKeyResolver"/>); <c>null</c> for none.</param>
    public static ProviderSettings Resolve(string provider, string? model, string? baseUrlFromConfig,
        IReadOnlyList<string> apiKeyEnvNames, Func<string, string?> getEnv, string? baseUrlFromFlag = null,
        int? maxOutputTokens = null, float? temperature = null, TimeSpan? requestTimeout = null,
        (string Alias, string Key)? fallbackKey = null)
    {
        ArgumentNullException.ThrowIfNull(apiKeyEnvNames);
        ArgumentNullException.ThrowIfNull(getEnv);
        var id = ProviderIds.Normalize(provider)
            ?? throw new SpecSynthException(ErrorKind.InvalidInput, $"unknown provider '{provider}': use claude, openai, azure or ollama");
        var baseUrl = ResolveBaseUrl(id, baseUrlFromConfig, baseUrlFromFlag, getEnv);
        if (id == ProviderIds.Azure && baseUrl is null)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, MissingAzureEndpoint);
        }
        var (key, variable) = ResolveKey(id, apiKeyEnvNames, getEnv);
        if (key is null && fallbackKey is { } fallback)
        {
            (key, variable) = (fallback.Key, fallback.Alias);
        }
        var settings = new ProviderSettings
        {
            Provider = id,
            Model = string.IsNullOrWhiteSpace(model) ? ModelCatalog.DefaultModel(id) : model.Trim(),
            ApiKey = key,
            KeyVariable = variable,
            BaseUrl = baseUrl,
            MaxOutputTokens = maxOutputTokens ?? 8192,
            Temperature = temperature,
            RequestTimeout = requestTimeout ?? ProviderSettings.DefaultRequestTimeout,
            OrganizationId = id == ProviderIds.OpenAI && getEnv("OPENAI_ORG_ID") is { Length: > 0 } org ? org.Trim() : null,
            ProjectId = id == ProviderIds.OpenAI && getEnv("OPENAI_PROJECT_ID") is { Length: > 0 } project ? project.Trim() : null,
        };
        EnsureKey(settings);
        return settings;
    }

    /// <summary>The message when Azure OpenAI is chosen without an endpoint.</summary>
    public const string MissingAzureEndpoint =
        "AZURE_OPENAI_ENDPOINT is not set: export it (https://YOUR-RESOURCE.openai.azure.com, as shown under Keys and Endpoint "
        + "in the Azure portal) or set [llm.azure] base_url in the config";

    /// <summary>Throws <see cref="ErrorKind.Auth"/> when the provider needs a key and has none (Azure OpenAI never: without
    /// a key it signs in with Entra ID).</summary>
    public static void EnsureKey(ProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var id = ProviderIds.Normalize(settings.Provider);
        if (!string.IsNullOrEmpty(settings.ApiKey) || id is ProviderIds.Ollama or ProviderIds.Azure
            || (id == ProviderIds.OpenAI && settings.BaseUrl is { } url && IsLoopback(url)))
        {
            return;
        }
        var variable = settings.KeyVariable ?? ProviderDescriptions.DefaultKeyVariable(settings.Provider);
        throw new SpecSynthException(ErrorKind.Auth,
            $"{variable} is not set: export it, set [llm.{id}] api_key_env in the config to the variable holding the key or "
            + $"api_key_command to a command printing it, or store it with 'specsynth keys set {id}'");
    }

    /// <summary>Parses <c>OLLAMA_HOST</c> the way the ollama CLI does: <c>host</c>, <c>host:port</c> or a full URL; 0.0.0.0 means localhost.</summary>
    public static Uri ParseOllamaHost(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return new Uri(DefaultOllamaHost);
        }
        var hasScheme = text.Contains("://", StringComparison.Ordinal);
        if (!Uri.TryCreate(hasScheme ? text : "http://" + text, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"OLLAMA_HOST '{Projects.SecretRedactor.MaskUrl(text)}' is not a host, host:port or http(s) URL");
        }
        var explicitPort = HasExplicitPort(text, hasScheme);
        var builder = new UriBuilder(uri)
        {
            Port = explicitPort ? uri.Port : hasScheme ? (uri.Scheme == "https" ? 443 : 80) : 11434,
        };
        if (builder.Host is "0.0.0.0" or "[::]")
        {
            builder.Host = "localhost";
        }
        return builder.Uri;
    }

    private static bool HasExplicitPort(string text, bool hasScheme)
    {
        var authority = hasScheme ? text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..] : text;
        authority = authority.Split('/')[0];
        var colon = authority.LastIndexOf(':');
        return colon >= 0 && colon > authority.LastIndexOf(']')
            && int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    private static Uri? ResolveBaseUrl(string id, string? fromConfig, string? fromFlag, Func<string, string?> getEnv)
    {
        var envName = ProviderDescriptions.BaseUrlVariable(id);
        var fromEnv = getEnv(envName);
        var (text, source) = !string.IsNullOrWhiteSpace(fromFlag) ? (fromFlag, "the base URL flag")
            : !string.IsNullOrWhiteSpace(fromEnv) ? (fromEnv, envName)
            : !string.IsNullOrWhiteSpace(fromConfig) ? (fromConfig, "the config's base_url") : (null, null);
        if (id == ProviderIds.Ollama)
        {
            return ParseOllamaHost(text);
        }
        if (text is null)
        {
            return null;
        }
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"{source} '{Projects.SecretRedactor.MaskUrl(text)}' is not an http(s) URL");
        }
        return uri;
    }

    private static (string? Key, string Variable) ResolveKey(string id, IReadOnlyList<string> names, Func<string, string?> getEnv)
    {
        var candidates = names.Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
        if (candidates.Count == 0)
        {
            candidates.Add(ProviderDescriptions.DefaultKeyVariable(id));
        }
        foreach (var name in candidates)
        {
            var value = getEnv(name)?.Trim();
            if (!string.IsNullOrEmpty(value))
            {
                return (value, name);
            }
        }
        return (null, candidates[0]);
    }

    /// <summary>
    /// Every key of <paramref name="apiKeyEnvNames"/> that is set, in order, with the variable it came from (a value
    /// already read from an earlier variable is left out). Empty names mean the official variable.
    /// </summary>
    internal static IReadOnlyList<(string Variable, string Key)> ResolveAllKeys(string provider, IReadOnlyList<string> apiKeyEnvNames,
        Func<string, string?> getEnv)
    {
        var id = ProviderIds.Normalize(provider) ?? provider;
        var candidates = apiKeyEnvNames.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal).ToList();
        if (candidates.Count == 0)
        {
            candidates.Add(ProviderDescriptions.DefaultKeyVariable(id));
        }
        var keys = new List<(string Variable, string Key)>();
        foreach (var name in candidates)
        {
            var value = getEnv(name)?.Trim();
            if (!string.IsNullOrEmpty(value) && !keys.Any(k => string.Equals(k.Key, value, StringComparison.Ordinal)))
            {
                keys.Add((name, value));
            }
        }
        return keys;
    }

    internal static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
