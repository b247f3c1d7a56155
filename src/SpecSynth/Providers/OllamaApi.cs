using System.Net.Http.Json;
using System.Text.Json;

namespace SpecSynth.Providers;

/// <summary>The two native Ollama endpoints OllamaSharp's chat client does not cover for us: /api/tags and /api/show.</summary>
internal sealed class OllamaApi(HttpClient http)
{
    /// <summary>The names of the pulled models, or <c>null</c> when the server could not be asked.</summary>
    public async Task<IReadOnlyList<string>?> TryListModelsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var doc = await GetJsonAsync(HttpMethod.Get, "api/tags", null, cancellationToken).ConfigureAwait(false);
            if (!doc.RootElement.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
            {
                return [];
            }
            return [.. models.EnumerateArray()
                .Select(m => m.TryGetProperty("name", out var n) ? n.GetString() : m.TryGetProperty("model", out var id) ? id.GetString() : null)
                .OfType<string>()];
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="model"/> is among <paramref name="pulled"/> (<c>llama3</c> means <c>llama3:latest</c>).</summary>
    public static bool Contains(IReadOnlyList<string> pulled, string model)
    {
        var wanted = WithTag(model);
        return pulled.Any(p => string.Equals(WithTag(p), wanted, StringComparison.OrdinalIgnoreCase));
    }

    private static string WithTag(string model) => model.Contains(':', StringComparison.Ordinal) ? model : model + ":latest";

    /// <summary>POSTs /api/show and returns the parsed body; the caller disposes it.</summary>
    public Task<JsonDocument> ShowAsync(string model, CancellationToken cancellationToken) =>
        GetJsonAsync(HttpMethod.Post, "api/show", new Dictionary<string, string> { ["model"] = model }, cancellationToken);

    private async Task<JsonDocument> GetJsonAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode}: {ProviderErrorBody.Parse(text).Message}", null, response.StatusCode);
        }
        return JsonDocument.Parse(text);
    }
}
