using System.ClientModel;
using System.Net.Sockets;
using System.Text.Json;

namespace SpecSynth.Providers;

/// <summary>
/// Turns whatever an SDK threw into a <see cref="ProviderException"/>. The only code that looks at SDK
/// exception types (System.ClientModel's here, Anthropic's and Ollama's through <see cref="IProviderSdkErrors"/> from the
/// <c>SpecSynth.Providers</c> package); HTTP facts (status, headers, error body) come from <see cref="ProviderCallRecord"/>.
/// </summary>
internal sealed class ProviderErrorTranslator(ProviderSettings settings, TimeProvider time, IProviderSdkErrors? sdk = null)
{
    private string Display => ProviderDescriptions.Display(settings);

    /// <summary>Whether <paramref name="ex"/> is a provider failure (not our caller cancelling, not a bug of ours).</summary>
    public static bool IsProviderFailure(Exception ex, CancellationToken callerToken, IProviderSdkErrors? sdk = null) => ex switch
    {
        SpecSynthException => false,
        OperationCanceledException when callerToken.IsCancellationRequested => false,
        OperationCanceledException or TimeoutException or HttpRequestException or IOException or JsonException
            or ClientResultException => true,
        _ when sdk?.IsFailure(ex) == true => true,
        // The SDKs throw these on response content they do not understand (e.g. an unknown finish reason).
        ArgumentException or FormatException or InvalidOperationException or NotSupportedException => true,
        _ => false,
    };

    public ProviderException Translate(Exception ex, ProviderCallRecord record)
    {
        if (Find<ProviderRedirectException>(ex) is { } redirect)
        {
            return Redirected(redirect);
        }
        var status = record.StatusCode is >= 400 ? record.StatusCode : StatusFromException(ex, sdk);
        if (status is >= 400)
        {
            var body = record.StatusCode is >= 400 ? record.ErrorBody : BodyFromException(ex, sdk);
            return FromStatus(status.Value, body, record.Headers, ex);
        }
        return FromTransport(ex);
    }

    public ProviderException FromStatus(int status, string? body, IReadOnlyDictionary<string, string> headers, Exception? inner)
    {
        var error = ProviderErrorBody.Parse(body);
        var detail = Detail(status, error);
        var provider = settings.Provider;
        if (status is 400 or 403 or 429 && QuotaExhausted.Matches(body, error.Message))
        {
            // Anthropic answers an empty credit balance with a 400, OpenAI an exhausted quota with a 429: the same refusal.
            return new ProviderException(ErrorKind.ProviderUnavailable, provider,
                $"{Display} refused the request: the account's quota, credit or spend limit is exhausted ({detail}); "
                + "retrying will not help until it is raised or resets", status, inner: inner)
            { IsQuotaExhausted = true };
        }
        switch (status)
        {
            case 401 or 403 when settings.UsesEntraId:
                return new ProviderException(ErrorKind.Auth, provider,
                    $"{Display} rejected the Entra ID token ({detail}; no key is set, so specsynth signed in with Entra ID): give the "
                    + "signed-in identity a role such as 'Cognitive Services OpenAI User' on the resource, or set AZURE_OPENAI_API_KEY",
                    status, inner: inner);
            case 401 or 403:
                var variable = settings.KeyVariable ?? ProviderDescriptions.DefaultKeyVariable(provider);
                return new ProviderException(ErrorKind.Auth, provider,
                    $"{Display} rejected the API key from {variable} ({detail}): check the key or its permissions", status, inner: inner);
            case 402:
                return new ProviderException(ErrorKind.Auth, provider, $"{Display} refused the request for billing reasons ({detail})", status, inner: inner);
            case 408 or 409 or 429 or >= 500:
                var wait = RetryAfter.Parse(headers, time);
                var suffix = wait is { } w ? $"; the server asked to wait {w.TotalSeconds:0.###} s" : "";
                return new ProviderException(ErrorKind.ProviderUnavailable, provider,
                    $"{Display} is unavailable ({detail}){suffix}", status, isRetryable: true, retryAfter: wait, inner: inner);
            default:
                return new ProviderException(ErrorKind.InvalidInput, provider,
                    $"{Display} rejected the request for model '{settings.Model}' ({detail})", status, inner: inner);
        }
    }

    private string Detail(int status, ProviderErrorBody error)
    {
        var text = $"HTTP {status}";
        if (error.Code is not null)
        {
            text += $" {error.Code}";
        }
        if (!string.IsNullOrWhiteSpace(error.Message))
        {
            text += $": {ProviderDescriptions.Redact(error.Message.Trim(), settings)}";
        }
        return text;
    }

    private ProviderException FromTransport(Exception ex)
    {
        var provider = settings.Provider;
        var url = ProviderDescriptions.Url(settings.EffectiveBaseUrl);
        if (Find<SocketException>(ex) is { } socket && IsConnectFailure(socket.SocketErrorCode))
        {
            if (ProviderIds.Normalize(provider) == ProviderIds.Ollama && socket.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return Unavailable($"Ollama is not running at {url} (start it with `ollama serve` or set OLLAMA_HOST)", ex);
            }
            return Unavailable($"could not connect to {Display} at {url}: {ProviderDescriptions.Redact(socket.Message, settings)}", ex);
        }
        if (sdk?.TransportMessage(ex, Display, text => ProviderDescriptions.Redact(text, settings)) is { } reported)
        {
            return Unavailable(reported, ex);
        }
        if (ex is OperationCanceledException || Find<TimeoutException>(ex) is not null)
        {
            return TimedOut(ex);
        }
        if (Find<IOException>(ex) is not null || ex is HttpRequestException)
        {
            return Unavailable($"the connection to {Display} at {url} failed or was cut mid-response: {ProviderDescriptions.Redact(Innermost(ex).Message, settings)}", ex);
        }
        return Unavailable($"{Display} sent a response that could not be read: {ProviderDescriptions.Redact(Innermost(ex).Message, settings)}", ex);
    }

    /// <summary>A redirect, which is not followed: a configuration error (<see cref="ErrorKind.InvalidInput"/>, not retryable) that
    /// says where it pointed and which setting to change (<see cref="RedirectMessage"/>).</summary>
    public ProviderException Redirected(ProviderRedirectException redirect) =>
        new(ErrorKind.InvalidInput, settings.Provider, RedirectMessage(settings, redirect), redirect.Status, inner: redirect);

    /// <summary>"Anthropic at http://… answered HTTP 307 with a redirect to https://…; specsynth does not follow redirects (…):
    /// set ANTHROPIC_BASE_URL to the address it redirects to". The addresses are masked (<see cref="ProviderDescriptions.Url"/>)
    /// and the key replaced, should the server have echoed it into the <c>Location</c>.</summary>
    internal static string RedirectMessage(ProviderSettings settings, ProviderRedirectException redirect)
    {
        var url = ProviderDescriptions.Url(settings.EffectiveBaseUrl);
        var display = ProviderDescriptions.Display(settings);
        var who = display.Contains(url, StringComparison.Ordinal) ? display : $"{display} at {url}";
        var to = redirect.Location is { } location ? " to " + ProviderDescriptions.WithoutKey(ProviderDescriptions.Url(location), settings) : "";
        return $"{who} answered HTTP {redirect.Status} with a redirect{to}; specsynth does not follow redirects (the API key and the "
            + $"prompt would go to an address you did not configure): set {ProviderDescriptions.BaseUrlVariable(settings.Provider)} "
            + "(or the base URL in the config) to the address it redirects to";
    }

    /// <summary>An error the provider sent inside a 200 stream; retryable unless it carries a 4xx code.</summary>
    public ProviderException FromStreamError(StreamError error) =>
        new(ErrorKind.ProviderUnavailable, settings.Provider,
            $"{Display} reported an error in the middle of the stream{(error.Code is { } c ? $" (code {c})" : "")}: " +
            ProviderDescriptions.Redact(error.Message, settings),
            error.Code, isRetryable: error.Code is not (>= 400 and < 500));

    /// <summary>The call (or a stalled stream) ran past <see cref="ProviderSettings.RequestTimeout"/>.</summary>
    public ProviderException TimedOut(Exception inner) =>
        Unavailable($"{Display} did not answer within {settings.RequestTimeout} (raise the request timeout or stream)", inner);

    private ProviderException Unavailable(string message, Exception inner) =>
        new(ErrorKind.ProviderUnavailable, settings.Provider, message, null, isRetryable: true, inner: inner);

    private static bool IsConnectFailure(SocketError error) => error is SocketError.ConnectionRefused
        or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain;

    internal static int? StatusFromException(Exception ex, IProviderSdkErrors? sdk = null) => sdk?.Status(ex) ?? ex switch
    {
        ClientResultException { Status: > 0 } result => result.Status,
        HttpRequestException { StatusCode: { } code } => (int)code,
        _ => ex.InnerException is { } inner ? StatusFromException(inner, sdk) : null,
    };

    internal static string? BodyFromException(Exception ex, IProviderSdkErrors? sdk = null) => sdk?.Body(ex) ?? ex switch
    {
        ClientResultException result => result.GetRawResponse()?.Content?.ToString(),
        _ => null,
    };

    private static T? Find<T>(Exception ex) where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }
        return null;
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);
}
