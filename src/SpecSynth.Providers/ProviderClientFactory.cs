using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OllamaSharp.Models;
using OpenAI;
using OpenAI.Chat;

namespace SpecSynth.Providers;

/// <summary>
/// Builds the <see cref="IChatClient"/> for a provider: the official SDK's client with its hidden
/// retries off and its timeouts set from <see cref="ProviderSettings.RequestTimeout"/>, wrapped so that
/// every failure is a <see cref="ProviderException"/>. Parameters the model refuses (known from the
/// <see cref="ModelCatalog"/>, or learned from a 400 and retried once) are left out; see
/// <see cref="ProviderSettings.OnWarning"/>.
/// </summary>
internal static class ProviderClientFactory
{
    private const string PlaceholderKey = "specsynth-no-key";

    /// <summary>Creates the chat client. Dispose it to release its connections.</summary>
    /// <param name="settings">The provider, model, key and limits.</param>
    /// <param name="httpClient">A client to send through (proxies, tests); <c>null</c> creates one, which does not follow redirects
    /// (a 3xx is a <see cref="ProviderException"/> of kind <see cref="ErrorKind.InvalidInput"/>). Not disposed.</param>
    /// <param name="time">The clock used for HTTP-date <c>retry-after</c> values; default the system clock.</param>
    /// <exception cref="SpecSynthException">Unknown provider (<see cref="ErrorKind.InvalidInput"/>) or missing key (<see cref="ErrorKind.Auth"/>).</exception>
    public static IChatClient Create(ProviderSettings settings, HttpClient? httpClient = null, TimeProvider? time = null) =>
        Create(settings, httpClient, time, null);

    /// <summary>Creates the chat client, remembering refused parameters in <paramref name="rejected"/> (the run services'
    /// memory, shared by every client of a host); <c>null</c> gives this client a memory of its own.</summary>
    /// <param name="settings">The provider, model, key and limits.</param>
    /// <param name="httpClient">A client to send through (proxies, tests); <c>null</c> creates one, which does not follow redirects
    /// (a 3xx is a <see cref="ProviderException"/> of kind <see cref="ErrorKind.InvalidInput"/>). Not disposed.</param>
    /// <param name="time">The clock of <c>retry-after</c> dates and Entra ID token expiry; default the system clock.</param>
    /// <param name="rejected">The memory of refused parameters; <c>null</c> gives this client its own.</param>
    /// <param name="entraId">Azure OpenAI without a key: where its Entra ID tokens come from; <c>null</c>: <c>DefaultAzureCredential</c>
    /// with a token cache of this client's own.</param>
    internal static IChatClient Create(ProviderSettings settings, HttpClient? httpClient, TimeProvider? time, RejectedParameters? rejected,
        AzureEntraId? entraId = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var provider = ProviderIds.Normalize(settings.Provider)
            ?? throw new SpecSynthException(ErrorKind.InvalidInput, $"unknown provider '{settings.Provider}': use claude, openai, azure or ollama");
        settings = settings with { Provider = provider };
        ProviderEnvironment.EnsureKey(settings);
        var http = CreateHttpClient(httpClient, provider);
        OllamaApi? ollamaApi = null;
        IChatClient sdkClient;
        switch (provider)
        {
            case ProviderIds.Claude:
                sdkClient = new AnthropicCachingChatClient(
                    new AnthropicEmptyUpdatesChatClient(
                        new AnthropicMessageParamsChatClient(CreateAnthropic(settings, http), settings.Model, settings.MaxOutputTokens),
                        time ?? Hosting.CompositionRoot.SystemClock),
                    settings.Model);
                break;
            case ProviderIds.OpenAI:
                sdkClient = CreateOpenAI(settings, http);
                break;
            case ProviderIds.Azure:
                sdkClient = CreateAzure(settings, http, entraId, time ?? Hosting.CompositionRoot.SystemClock);
                break;
            default:
                http.BaseAddress = WithTrailingSlash(settings.EffectiveBaseUrl);
                http.Timeout = settings.RequestTimeout;
                if (!string.IsNullOrEmpty(settings.ApiKey))
                {
                    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", settings.ApiKey);
                }
                ollamaApi = new OllamaApi(http);
                sdkClient = new OllamaApiClient(http, settings.Model);
                break;
        }
        var memory = rejected ?? new RejectedParameters(ModelCatalog.BuiltIn);
        return new ChatClientBuilder(sdkClient)
            .Use(inner => new ProviderErrorsChatClient(inner, settings, time ?? Hosting.CompositionRoot.SystemClock, ollamaApi, http, SdkErrors.Instance))
            .Use(inner => new ParameterRejectionChatClient(inner, settings, memory, SdkErrors.Instance,
                options => ApplyDefaults(options, settings, memory)))
            .Build();
    }

    private static HttpClient CreateHttpClient(HttpClient? httpClient, string provider)
    {
        // Redirects are not followed: the key headers .NET keeps on a redirect (x-api-key, api-key) and the prompt would go
        // to the host the Location names. The handler over the transport throws a 3xx as a ProviderRedirectException.
        HttpMessageHandler transport = httpClient is null
            ? new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            }
            : new HttpClientForwardingHandler(httpClient);
        // Right over the transport, under every handler that decodes: each successful body is checked to be UTF-8 as it is
        // read (an invalid byte is a transport fault, retried like a cut stream) in the same wrapper stream as the provider's
        // line patches, so one handler and one wrapper stream per response; the same handler refuses redirects.
        transport = provider == ProviderIds.Claude
            ? new AnthropicUsagePatchHandler(transport)
            : new StreamErrorCaptureHandler(transport);
        // A spec's generate request in a batch run is answered from the batch (same SDK request, same reply path).
        return new HttpClient(new ResponseCaptureHandler(new SpecSynth.Batching.BatchingHandler(transport))) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static IChatClient CreateAnthropic(ProviderSettings settings, HttpClient http)
    {
        var baseUrl = settings.EffectiveBaseUrl.ToString().TrimEnd('/');
        if (baseUrl.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            baseUrl = baseUrl[..^3]; // the SDK appends /v1/messages itself
        }
        var client = new AnthropicSdkClient(new ClientOptions
        {
            ApiKey = settings.ApiKey,
            BaseUrl = baseUrl,
            MaxRetries = 0,
            Timeout = settings.RequestTimeout,
            HttpClient = http,
            // The SDK sends the key as a bearer token; proxies and compatible servers read x-api-key.
            ExtraHeaders = new Dictionary<string, string> { ["x-api-key"] = settings.ApiKey ?? "" },
        });
        return client.AsIChatClient(settings.Model, settings.MaxOutputTokens);
    }

    private static IChatClient CreateOpenAI(ProviderSettings settings, HttpClient http)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = settings.EffectiveBaseUrl,
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = settings.RequestTimeout,
            Transport = new HttpClientPipelineTransport(http),
            OrganizationId = settings.OrganizationId,
            ProjectId = settings.ProjectId,
        };
        var key = new ApiKeyCredential(string.IsNullOrEmpty(settings.ApiKey) ? PlaceholderKey : settings.ApiKey);
        return new ChatClient(settings.Model, key, options).AsIChatClient();
    }

    /// <summary>Azure OpenAI through the OpenAI SDK: the deployment's Chat Completions route
    /// (<c>{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…</c>) with the key as <c>api-key</c>, or
    /// without a key an Entra ID bearer token (<see cref="AzureEntraIdPolicy"/>).</summary>
    private static IChatClient CreateAzure(ProviderSettings settings, HttpClient http, AzureEntraId? entraId, TimeProvider time)
    {
        var endpoint = settings.EffectiveBaseUrl.AbsoluteUri.TrimEnd('/');
        if (endpoint.EndsWith("/openai", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = endpoint[..^7]; // the resource's root, as the portal shows it, is what AZURE_OPENAI_ENDPOINT holds
        }
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri($"{endpoint}/openai/deployments/{Uri.EscapeDataString(settings.Model)}"),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = settings.RequestTimeout,
            Transport = new HttpClientPipelineTransport(http),
        };
        if (settings.UsesEntraId)
        {
            // The SDK sends its placeholder key as a bearer token; this policy puts the Entra ID token in its place.
            options.AddPolicy((entraId ?? new AzureEntraId(null)).Policy(time), PipelinePosition.BeforeTransport);
        }
        options.AddPolicy(new AzureOpenAIPolicy(settings.UsesEntraId ? null : settings.ApiKey, settings.ApiVersion ?? ProviderSettings.DefaultAzureApiVersion),
            PipelinePosition.BeforeTransport);
        var key = new ApiKeyCredential(settings.UsesEntraId ? PlaceholderKey : settings.ApiKey!);
        return new ChatClient(settings.Model, key, options).AsIChatClient();
    }

    private static void ApplyDefaults(ChatOptions options, ProviderSettings settings, RejectedParameters memory)
    {
        // The SDK client was made for settings.Model and sends it when no other model is asked for: a ModelId naming it is
        // left out of the copy, so the same body goes out without MEAI's OpenAI adapter patching $.model into the SDK's
        // options (a JSON patch the SDK then consults for every property it writes).
        var model = options.ModelId ?? settings.Model;
        if (string.Equals(options.ModelId, settings.Model, StringComparison.Ordinal))
        {
            options.ModelId = null;
        }
        options.MaxOutputTokens ??= settings.MaxOutputTokens;
        if (memory.OutputCap(settings, model) is { } cap && options.MaxOutputTokens > cap)
        {
            options.MaxOutputTokens = cap;
        }
        options.Temperature ??= settings.Temperature;
        ParameterFilter.Strip(options, memory.For(settings, model));
        if (settings.Provider == ProviderIds.Claude)
        {
            AnthropicTemperature.Apply(options, settings.Model, settings.MaxOutputTokens);
        }
        if (settings.Provider == ProviderIds.Ollama && settings.ContextWindow is { } numCtx
            && options.AdditionalProperties?.ContainsKey(OllamaOption.NumCtx.Name) != true)
        {
            options.AddOllamaOption(OllamaOption.NumCtx, numCtx);
        }
    }

    private static Uri WithTrailingSlash(Uri url) =>
        url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
