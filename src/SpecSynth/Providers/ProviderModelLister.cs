using System.Net.Http.Headers;
using System.Text.Json;

namespace SpecSynth.Providers;

/// <summary>
/// Asks a provider which models it serves: Anthropic's and OpenAI's <c>GET /v1/models</c> (Anthropic's pages followed
/// with <c>after_id</c>), Ollama's <c>/api/tags</c> and each model's <c>/api/show</c> (for its context length).
/// Errors are <see cref="SpecSynthException"/>s naming the provider and the status, never the key.
/// </summary>
internal static class ProviderModelLister
{
    private const string AnthropicDefault = "https://api.anthropic.com";
    private const string OpenAIDefault = "https://api.openai.com/v1";

    /// <summary>The ids the provider serves, with Ollama's context lengths (<c>null</c> elsewhere).</summary>
    public static async Task<IReadOnlyList<(string Id, int? ContextWindow)>> ListAsync(ProviderSettings settings, Func<string, string?> getEnv,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var http = new HttpClient(RedirectRefusingHandler.OverSockets()) { Timeout = TimeSpan.FromSeconds(30) };
        switch (ProviderIds.Normalize(settings.Provider))
        {
            case ProviderIds.Claude:
                return await AnthropicAsync(http, settings, cancellationToken).ConfigureAwait(false);
            case ProviderIds.OpenAI:
                var root = (settings.BaseUrl?.AbsoluteUri ?? OpenAIDefault).TrimEnd('/');
                using (var request = new HttpRequestMessage(HttpMethod.Get, root + "/models"))
                {
                    if (!string.IsNullOrEmpty(settings.ApiKey))
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
                    }
                    AddOpenAIHeaders(request, getEnv);
                    using var doc = await SendAsync(http, request, settings, cancellationToken).ConfigureAwait(false);
                    return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(m => (m.GetProperty("id").GetString()!, (int?)null))];
                }
            default:
                return await OllamaAsync(http, settings, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds <c>OpenAI-Organization</c> and <c>OpenAI-Project</c> from <c>OPENAI_ORG_ID</c> and <c>OPENAI_PROJECT_ID</c> when set.</summary>
    internal static void AddOpenAIHeaders(HttpRequestMessage request, Func<string, string?> getEnv)
    {
        if (getEnv("OPENAI_ORG_ID") is { Length: > 0 } org)
        {
            request.Headers.TryAddWithoutValidation("OpenAI-Organization", org);
        }
        if (getEnv("OPENAI_PROJECT_ID") is { Length: > 0 } project)
        {
            request.Headers.TryAddWithoutValidation("OpenAI-Project", project);
        }
    }

    private static async Task<IReadOnlyList<(string, int?)>> AnthropicAsync(HttpClient http, ProviderSettings settings, CancellationToken cancellationToken)
    {
        var root = (settings.BaseUrl?.AbsoluteUri ?? AnthropicDefault).TrimEnd('/');
        root = root.EndsWith("/v1", StringComparison.Ordinal) ? root[..^3] : root;
        var ids = new List<(string, int?)>();
        string? after = null;
        for (var page = 0; page < 50; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, root + "/v1/models?limit=1000" + (after is null ? "" : "&after_id=" + Uri.EscapeDataString(after)));
            request.Headers.TryAddWithoutValidation("x-api-key", settings.ApiKey);
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
            using var doc = await SendAsync(http, request, settings, cancellationToken).ConfigureAwait(false);
            ids.AddRange(doc.RootElement.GetProperty("data").EnumerateArray().Select(m => (m.GetProperty("id").GetString()!, (int?)null)));
            if (!(doc.RootElement.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True)
                || !doc.RootElement.TryGetProperty("last_id", out var last) || last.GetString() is not { } next)
            {
                break;
            }
            after = next;
        }
        return ids;
    }

    private static async Task<IReadOnlyList<(string, int?)>> OllamaAsync(HttpClient http, ProviderSettings settings, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var root = (settings.BaseUrl ?? new Uri(ProviderEnvironment.DefaultOllamaHost)).AbsoluteUri.TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Get, root + "/api/tags");
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        }
        using var doc = await SendAsync(http, request, settings, cancellationToken).ConfigureAwait(false);
        var names = doc.RootElement.GetProperty("models").EnumerateArray()
            .Select(m => m.TryGetProperty("name", out var n) ? n.GetString() : m.GetProperty("model").GetString())
            .OfType<string>().ToList();
        var models = new List<(string, int?)>();
        foreach (var name in names)
        {
            int? window = null;
            try
            {
                window = (await OllamaModelInfo.GetAsync(settings with { Model = name }, http, cancellationToken: cancellationToken, time: time)
                    .ConfigureAwait(false)).ContextLength;
            }
            catch (ProviderException)
            {
                // The list still names the model; its window stays unknown.
            }
            models.Add((name, window));
        }
        return models;
    }

    private static async Task<JsonDocument> SendAsync(HttpClient http, HttpRequestMessage request, ProviderSettings settings,
        CancellationToken cancellationToken)
    {
        var provider = settings.Provider;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderRedirectException ex)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"{provider}: listing models: {ProviderErrorTranslator.RedirectMessage(settings, ex)}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SpecSynthException(ErrorKind.ProviderUnavailable,
                $"{provider}: could not list models at {Projects.SecretRedactor.MaskUrl(request.RequestUri!)}: {ex.Message}");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw new SpecSynthException(status is 401 or 403 ? ErrorKind.Auth : ErrorKind.ProviderUnavailable,
                    $"{provider}: listing models at {Projects.SecretRedactor.MaskUrl(request.RequestUri!)} answered HTTP {status}");
            }
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
