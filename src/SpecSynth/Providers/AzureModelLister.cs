using System.Text.Json;

namespace SpecSynth.Providers;

/// <summary>
/// What Azure OpenAI's data plane says about a resource, with its key (<c>api-key</c>) or an Entra ID token: first its
/// deployments (<c>GET /openai/deployments?api-version=2022-12-01</c>, the data-plane list that later API versions retired in
/// favour of the management API, still answered by many resources), else the models the resource can deploy
/// (<c>GET /openai/models?api-version=…</c>), which are not deployment names. Errors name the status, never the key or token.
/// The client given must not follow redirects (<see cref="RedirectRefusingHandler"/>).
/// </summary>
internal static class AzureModelLister
{
    /// <summary>The last API version that has the data-plane deployment list.</summary>
    public const string DeploymentsApiVersion = "2022-12-01";

    /// <summary>The deployments (each with the model it serves), or when the resource has no data-plane deployment list, its
    /// deployable chat models (<see cref="AzureListing.AreDeployments"/> <c>false</c>).</summary>
    /// <param name="settings">Endpoint, key (or none: Entra ID) and <c>api-version</c>.</param>
    /// <param name="bearerToken">Gives an Entra ID token when <paramref name="settings"/> has no key.</param>
    /// <param name="http">The client to send with.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public static async Task<AzureListing> ListAsync(ProviderSettings settings, Func<CancellationToken, ValueTask<string>> bearerToken,
        HttpClient http, CancellationToken cancellationToken)
    {
        var root = settings.EffectiveBaseUrl.AbsoluteUri.TrimEnd('/');
        root = root.EndsWith("/openai", StringComparison.OrdinalIgnoreCase) ? root[..^7] : root;
        var token = settings.UsesEntraId ? await bearerToken(cancellationToken).ConfigureAwait(false) : null;
        using (var deployments = await GetAsync(http, $"{root}/openai/deployments?api-version={DeploymentsApiVersion}", settings, token,
            allowMissing: true, cancellationToken).ConfigureAwait(false))
        {
            if (deployments is not null)
            {
                return new AzureListing([.. Data(deployments).Select(d => (Id(d), d.TryGetProperty("model", out var m) ? m.GetString() : null))], true);
            }
        }
        var version = Uri.EscapeDataString(settings.ApiVersion ?? ProviderSettings.DefaultAzureApiVersion);
        using var models = (await GetAsync(http, $"{root}/openai/models?api-version={version}", settings, token, allowMissing: false,
            cancellationToken).ConfigureAwait(false))!;
        return new AzureListing([.. Data(models).Where(CanChat).Select(m => (Id(m), (string?)Id(m))).Distinct()], false);
    }

    private static IEnumerable<JsonElement> Data(JsonDocument doc) =>
        doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? data.EnumerateArray() : [];

    private static string Id(JsonElement item) => item.GetProperty("id").GetString() ?? "";

    /// <summary>A model usable for chat completions (<c>capabilities.chat_completion</c>; kept when the field is missing).</summary>
    private static bool CanChat(JsonElement model) =>
        !model.TryGetProperty("capabilities", out var capabilities)
        || !capabilities.TryGetProperty("chat_completion", out var chat)
        || chat.ValueKind == JsonValueKind.True;

    /// <summary>The JSON answer, or <c>null</c> for a 404/400 when <paramref name="allowMissing"/> (the route or its version is gone).</summary>
    private static async Task<JsonDocument?> GetAsync(HttpClient http, string url, ProviderSettings settings, string? token, bool allowMissing,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is null)
        {
            request.Headers.TryAddWithoutValidation("api-key", settings.ApiKey);
        }
        else
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderRedirectException ex)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"azure: listing models: {ProviderErrorTranslator.RedirectMessage(settings, ex)}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SpecSynthException(ErrorKind.ProviderUnavailable,
                $"azure: could not list models at {Projects.SecretRedactor.MaskUrl(request.RequestUri!)}: {ex.Message}");
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (allowMissing && status is 404 or 400)
            {
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new SpecSynthException(status is 401 or 403 ? ErrorKind.Auth : ErrorKind.ProviderUnavailable,
                    $"azure: listing models at {Projects.SecretRedactor.MaskUrl(request.RequestUri!)} answered HTTP {status}"
                    + (status is 401 or 403 && token is not null ? " (Entra ID token: the identity needs a role such as 'Cognitive Services OpenAI User')" : ""));
            }
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>What <see cref="AzureModelLister"/> found.</summary>
/// <param name="Items">Each deployment (or deployable model) with the model it serves, when known.</param>
/// <param name="AreDeployments">Whether <paramref name="Items"/> are deployment names (usable as <c>--model</c>); <c>false</c>:
/// the resource's deployable models (the data plane had no deployment list).</param>
internal sealed record AzureListing(IReadOnlyList<(string Id, string? Model)> Items, bool AreDeployments);
