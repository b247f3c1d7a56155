using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// Anthropic's token-counting endpoint (<c>POST /v1/messages/count_tokens</c>): the exact input tokens of a prompt for a
/// Claude model, free of charge but one request each. Sent to the same base URL with the same key and headers as the
/// chat requests (<see cref="ProviderSettings"/>); failures are <see cref="ProviderException"/>s translated like the
/// chat calls' (a missing or rejected key is <see cref="ErrorKind.Auth"/>, 429/5xx unavailable). The key is never
/// part of an error message.
/// </summary>
internal sealed class AnthropicTokenCounter : IExactTokenCounter, IDisposable
{
    /// <summary>The API version header value the SDKs send.</summary>
    public const string ApiVersion = "2023-06-01";

    private readonly ProviderSettings _settings;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ProviderErrorTranslator _errors;

    /// <summary>Creates the counter.</summary>
    /// <param name="settings">The Claude provider settings (model, key, base URL, timeout).</param>
    /// <param name="httpClient">A client to send through; <c>null</c> creates one (disposed with this counter).</param>
    /// <param name="time">The clock for <c>retry-after</c> dates.</param>
    public AnthropicTokenCounter(ProviderSettings settings, HttpClient? httpClient = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (ProviderIds.Normalize(settings.Provider) != ProviderIds.Claude)
        {
            throw new ArgumentException($"the token-counting endpoint is Anthropic's; got provider '{settings.Provider}'", nameof(settings));
        }
        _settings = settings with { Provider = ProviderIds.Claude };
        ProviderEnvironment.EnsureKey(_settings);
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient(RedirectRefusingHandler.OverSockets()) { Timeout = settings.RequestTimeout };
        _errors = new ProviderErrorTranslator(_settings, time ?? Hosting.CompositionRoot.SystemClock);
    }

    /// <summary>The endpoint URL (the base URL without a trailing <c>/v1</c>, then <c>/v1/messages/count_tokens</c>).</summary>
    public Uri Endpoint
    {
        get
        {
            var root = _settings.EffectiveBaseUrl.ToString().TrimEnd('/');
            if (root.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
            {
                root = root[..^3];
            }
            return new Uri(root + "/v1/messages/count_tokens");
        }
    }

    /// <inheritdoc />
    public async Task<int> CountAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new StringContent(Body(_settings.Model, messages), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-api-key", _settings.ApiKey ?? "");
        request.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ProviderErrorTranslator.IsProviderFailure(ex, cancellationToken))
        {
            throw _errors.Translate(ex, new ProviderCallRecord());
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var headers = response.Headers.Concat(response.Content.Headers)
                    .GroupBy(h => h.Key.ToLowerInvariant())
                    .ToDictionary(g => g.Key, g => string.Join(",", g.First().Value));
                throw _errors.FromStatus((int)response.StatusCode, text, headers, null);
            }
            try
            {
                using var json = JsonDocument.Parse(text);
                if (json.RootElement.TryGetProperty("input_tokens", out var tokens) && tokens.TryGetInt32(out var count) && count >= 0)
                {
                    return count;
                }
            }
            catch (JsonException)
            {
                // Reported below.
            }
            throw new ProviderException(ErrorKind.ProviderUnavailable, ProviderIds.Claude,
                $"{ProviderDescriptions.Display(_settings)} answered the token count without a usable input_tokens ({Snippet(text)})");
        }
    }

    /// <summary>The request body: <c>model</c>, <c>system</c> (the system messages' text) and the other messages as text
    /// blocks, in order. Non-text content is left out.</summary>
    internal static string Body(string model, IReadOnlyList<ChatMessage> messages)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            var system = messages.Where(m => m.Role == ChatRole.System).SelectMany(m => m.Contents.OfType<TextContent>()).ToList();
            if (system.Count > 0)
            {
                w.WriteStartArray("system");
                foreach (var block in system)
                {
                    TextBlock(w, block.Text);
                }
                w.WriteEndArray();
            }
            w.WriteStartArray("messages");
            foreach (var message in messages.Where(m => m.Role != ChatRole.System))
            {
                var texts = message.Contents.OfType<TextContent>().Where(t => t.Text.Length > 0).ToList();
                if (texts.Count == 0)
                {
                    continue;
                }
                w.WriteStartObject();
                w.WriteString("role", message.Role == ChatRole.Assistant ? "assistant" : "user");
                w.WriteStartArray("content");
                foreach (var text in texts)
                {
                    TextBlock(w, text.Text);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void TextBlock(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static string Snippet(string text) => text.Length <= 200 ? text : text[..200] + "…";

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
