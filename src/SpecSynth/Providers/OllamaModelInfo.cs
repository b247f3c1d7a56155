using System.Globalization;
using System.Text.Json;

namespace SpecSynth.Providers;

/// <summary>What Ollama's <c>/api/show</c> says about a pulled model's context.</summary>
/// <param name="Model">The model asked about.</param>
/// <param name="Architecture"><c>general.architecture</c>, e.g. <c>llama</c>, or <c>null</c>.</param>
/// <param name="TrainedContextLength"><c>model_info["&lt;arch&gt;.context_length"]</c>: the most the model supports, or <c>null</c>.</param>
/// <param name="ConfiguredNumCtx">A <c>num_ctx</c> fixed in the model's Modelfile parameters, or <c>null</c>.</param>
internal sealed record OllamaModelInfo(string Model, string? Architecture, int? TrainedContextLength, int? ConfiguredNumCtx)
{
    /// <summary>The context to plan with: the Modelfile's <c>num_ctx</c>, else the trained length, else <c>null</c>.</summary>
    public int? ContextLength => ConfiguredNumCtx ?? TrainedContextLength;

    /// <summary>Asks the Ollama server at <see cref="ProviderSettings.EffectiveBaseUrl"/> about <see cref="ProviderSettings.Model"/>.</summary>
    /// <param name="settings">The server and model.</param>
    /// <param name="httpClient">A client to send through (proxies, tests); <c>null</c> creates one.</param>
    /// <param name="cancellationToken">Cancels the question.</param>
    /// <param name="time">The clock of HTTP-date <c>retry-after</c> values in errors; <c>null</c> for the system clock.</param>
    /// <exception cref="ProviderException">The server is not running, or the model is not pulled.</exception>
    public static async Task<OllamaModelInfo> GetAsync(ProviderSettings settings, HttpClient? httpClient = null,
        CancellationToken cancellationToken = default, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var ollamaSettings = settings with { Provider = ProviderIds.Ollama };
        using var http = new HttpClient(httpClient is null
            ? RedirectRefusingHandler.OverSockets()
            : new RedirectRefusingHandler(new HttpClientForwardingHandler(httpClient)))
        {
            BaseAddress = new Uri(settings.EffectiveBaseUrl.AbsoluteUri.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", settings.ApiKey);
        }
        var api = new OllamaApi(http);
        try
        {
            using var doc = await api.ShowAsync(settings.Model, cancellationToken).ConfigureAwait(false);
            return Parse(settings.Model, doc.RootElement);
        }
        catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            var pulled = await api.TryListModelsAsync(cancellationToken).ConfigureAwait(false);
            var available = pulled is null ? "" : pulled.Count == 0 ? " (no models are pulled)" : " (pulled: " + string.Join(", ", pulled.Take(10)) + ")";
            throw new ProviderException(ErrorKind.InvalidInput, ProviderIds.Ollama,
                $"Ollama model '{settings.Model}' is not pulled; run `ollama pull {settings.Model}`{available}", 404, inner: ex);
        }
        catch (Exception ex) when (ProviderErrorTranslator.IsProviderFailure(ex, cancellationToken))
        {
            throw new ProviderErrorTranslator(ollamaSettings, time ?? Hosting.CompositionRoot.SystemClock).Translate(ex, new ProviderCallRecord());
        }
    }

    internal static OllamaModelInfo Parse(string model, JsonElement root)
    {
        string? arch = null;
        int? trained = null;
        if (root.TryGetProperty("model_info", out var info) && info.ValueKind == JsonValueKind.Object)
        {
            arch = info.TryGetProperty("general.architecture", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (arch is not null && info.TryGetProperty(arch + ".context_length", out var length) && length.TryGetInt32(out var n))
            {
                trained = n;
            }
        }
        int? numCtx = null;
        if (root.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.String)
        {
            numCtx = ParseNumCtx(parameters.GetString()!);
        }
        return new OllamaModelInfo(model, arch, trained, numCtx);
    }

    private static int? ParseNumCtx(string parameters)
    {
        foreach (var line in parameters.Split('\n'))
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == "num_ctx"
                && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }
        return null;
    }
}
