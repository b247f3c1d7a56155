using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpecSynth.Batching;

/// <summary>
/// A provider's batch endpoints over raw HTTP (see <c>docs/adr/0006-batch-generation.md</c>): the same handlers as the SDK's
/// requests (UTF-8 validation, the transport) and the same headers (key, version) as the request it batches. Subclasses speak
/// Anthropic Message Batches and OpenAI Batch.
/// </summary>
internal abstract class BatchWire(Uri root, IReadOnlyList<KeyValuePair<string, string[]>> headers, HttpMessageInvoker http)
{
    /// <summary>The API root (<c>…/v1</c>).</summary>
    protected Uri Root { get; } = root;

    /// <summary>The provider's id (<c>claude</c>, <c>openai</c>).</summary>
    public abstract string Provider { get; }

    /// <summary>The most requests one batch takes.</summary>
    public abstract int MaxRequests { get; }

    /// <summary>The most bytes one batch takes (kept under the provider's limit).</summary>
    public abstract long MaxBytes { get; }

    /// <summary>Whether <paramref name="uri"/> is a chat request that can be batched.</summary>
    public static bool IsChatPath(Uri uri) => uri.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal)
        || uri.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal);

    /// <summary>The wire of the provider whose chat request went to <paramref name="chatUri"/>.</summary>
    public static BatchWire For(Uri chatUri, IReadOnlyList<KeyValuePair<string, string[]>> headers, HttpMessageInvoker http)
    {
        var text = chatUri.GetLeftPart(UriPartial.Path);
        return text.EndsWith("/messages", StringComparison.Ordinal)
            ? new AnthropicBatchWire(new Uri(text[..^"/messages".Length]), headers, http)
            : new OpenAIBatchWire(new Uri(text[..^"/chat/completions".Length]), headers, http);
    }

    /// <summary>The wire of a stored batch, for status and cancel without a request to copy (key from its variable).</summary>
    public static BatchWire For(string provider, Uri root, string? apiKey, HttpMessageInvoker http) => provider == Providers.ProviderIds.Claude
        ? new AnthropicBatchWire(root, [new("x-api-key", [apiKey ?? ""]), new("anthropic-version", ["2023-06-01"])], http)
        : new OpenAIBatchWire(root, [new("Authorization", ["Bearer " + apiKey])], http);

    /// <summary>The API root, as stored.</summary>
    public Uri ApiRoot => Root;

    /// <summary>The size one request adds to a batch, in bytes (for splitting).</summary>
    public virtual long Size(string customId, string body) => Encoding.UTF8.GetByteCount(body) + customId.Length + 96;

    /// <summary>Submits one batch; answers the provider's batch id.</summary>
    /// <exception cref="BatchHttpException">The provider refused it.</exception>
    public abstract Task<string> SubmitAsync(string localId, IReadOnlyList<(string CustomId, string Body)> requests, CancellationToken cancellationToken);

    /// <summary>Polls one batch.</summary>
    public abstract Task<BatchPoll> PollAsync(string remoteId, CancellationToken cancellationToken);

    /// <summary>Asks the provider to cancel one batch.</summary>
    public abstract Task<BatchPoll> CancelAsync(string remoteId, CancellationToken cancellationToken);

    /// <summary>The result lines of an ended batch, streamed.</summary>
    public abstract IAsyncEnumerable<BatchLine> ResultsAsync(BatchPoll ended, CancellationToken cancellationToken);

    /// <summary>The provider's id of a batch submitted as <paramref name="localId"/> whose answer was lost (a crash between
    /// the create call and storing its answer), or <c>null</c> when none was created.</summary>
    public abstract Task<string?> FindAsync(string localId, DateTimeOffset submittedAt, int count, IReadOnlySet<string> known,
        CancellationToken cancellationToken);

    /// <summary>An error answer in the provider's own format (status 400), for a request the batch did not answer.</summary>
    public abstract string ErrorBody(string type, string message);

    /// <summary>The request body made fit for a batch: <c>stream</c> left out.</summary>
    protected static JsonNode Params(string body)
    {
        var node = JsonNode.Parse(body) ?? throw new InvalidOperationException("empty request body");
        if (node is JsonObject o)
        {
            o.Remove("stream");
            o.Remove("stream_options");
        }
        return node;
    }

    /// <summary>Sends one request with the batched request's headers; a non-success status throws <see cref="BatchHttpException"/>.</summary>
    protected async Task<string> SendAsync(HttpMethod method, Uri uri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await OpenAsync(method, uri, content, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one request and answers the response for streaming its body (the caller disposes it).</summary>
    protected async Task<HttpResponseMessage> OpenAsync(HttpMethod method, Uri uri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        foreach (var (name, values) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, values);
        }
        var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new BatchHttpException((int)response.StatusCode, body,
                $"{Provider} answered {(int)response.StatusCode} to {method} {uri.AbsolutePath}: {Redaction.Redact(Shorten(body))}");
        }
    }

    /// <summary>Reads JSON lines from a response body one at a time.</summary>
    protected static async IAsyncEnumerable<JsonElement> LinesAsync(HttpResponseMessage response, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            using var doc = JsonDocument.Parse(line);
            yield return doc.RootElement.Clone();
        }
    }

    protected static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    protected static int Int(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;

    protected static JsonElement Get(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    protected static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
