using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpecSynth.Batching;

/// <summary>Anthropic Message Batches (<c>POST /v1/messages/batches</c>, poll, results JSONL, list, cancel).</summary>
internal sealed class AnthropicBatchWire(Uri root, IReadOnlyList<KeyValuePair<string, string[]>> headers, HttpMessageInvoker http)
    : BatchWire(root, headers, http)
{
    public override string Provider => Providers.ProviderIds.Claude;

    public override int MaxRequests => 100_000;

    /// <summary>256 MB, less a margin for the envelope.</summary>
    public override long MaxBytes => 250L * 1024 * 1024;

    private Uri Batches => new(Root.AbsoluteUri.TrimEnd('/') + "/messages/batches");

    public override async Task<string> SubmitAsync(string localId, IReadOnlyList<(string CustomId, string Body)> requests, CancellationToken cancellationToken)
    {
        var list = new JsonArray();
        foreach (var (customId, body) in requests)
        {
            list.Add(new JsonObject { ["custom_id"] = customId, ["params"] = Params(body) });
        }
        var answer = await SendAsync(HttpMethod.Post, Batches, Json(new JsonObject { ["requests"] = list }), cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(answer);
        return Text(doc.RootElement, "id") ?? throw new BatchHttpException(200, answer, "the batch was created without an id");
    }

    public override async Task<BatchPoll> PollAsync(string remoteId, CancellationToken cancellationToken) =>
        Parse(await SendAsync(HttpMethod.Get, new Uri(Batches.AbsoluteUri + "/" + Uri.EscapeDataString(remoteId)), null, cancellationToken)
            .ConfigureAwait(false));

    public override async Task<BatchPoll> CancelAsync(string remoteId, CancellationToken cancellationToken) =>
        Parse(await SendAsync(HttpMethod.Post, new Uri(Batches.AbsoluteUri + "/" + Uri.EscapeDataString(remoteId) + "/cancel"), null, cancellationToken)
            .ConfigureAwait(false));

    public override async IAsyncEnumerable<BatchLine> ResultsAsync(BatchPoll ended, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var url = ended.ResultsUrl is { } u ? new Uri(Batches, u) : new Uri(Batches.AbsoluteUri + "/" + Uri.EscapeDataString(ended.RemoteId) + "/results");
        using var response = await OpenAsync(HttpMethod.Get, url, null, cancellationToken).ConfigureAwait(false);
        await foreach (var line in LinesAsync(response, cancellationToken).ConfigureAwait(false))
        {
            var customId = Text(line, "custom_id");
            if (customId is null)
            {
                continue;
            }
            var result = Get(line, "result");
            var type = Text(result, "type") ?? "errored";
            yield return type switch
            {
                "succeeded" => new BatchLine(customId, type, 200, Get(result, "message").GetRawText()),
                "errored" when Get(result, "error") is { ValueKind: JsonValueKind.Object } error => new BatchLine(customId, type, StatusOf(error), error.GetRawText()),
                "canceled" => new BatchLine(customId, type, 400, ErrorBody("batch_canceled", $"the batch {ended.RemoteId} was canceled before this request ran")),
                "expired" => new BatchLine(customId, type, 400, ErrorBody("batch_expired", $"the batch {ended.RemoteId} expired before this request ran")),
                _ => new BatchLine(customId, "errored", 500, ErrorBody("api_error", $"unknown batch result type '{type}'")),
            };
        }
    }

    public override async Task<string?> FindAsync(string localId, DateTimeOffset submittedAt, int count, IReadOnlySet<string> known,
        CancellationToken cancellationToken)
    {
        // Anthropic keeps no metadata or idempotency key on a batch: adopt the one unknown batch created since the submission
        // with as many requests. Two such (two runs submitting at the same moment) are left alone and the specs resubmitted.
        var answer = await SendAsync(HttpMethod.Get, new Uri(Batches.AbsoluteUri + "?limit=100"), null, cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(answer);
        var matches = new List<string>();
        foreach (var batch in Get(doc.RootElement, "data").EnumerateArray())
        {
            var id = Text(batch, "id");
            var created = DateTimeOffset.TryParse(Text(batch, "created_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c : DateTimeOffset.MinValue;
            var counts = Get(batch, "request_counts");
            var total = Int(counts, "processing") + Int(counts, "succeeded") + Int(counts, "errored") + Int(counts, "canceled") + Int(counts, "expired");
            if (id is not null && !known.Contains(id) && created >= submittedAt - TimeSpan.FromMinutes(2) && total == count)
            {
                matches.Add(id);
            }
        }
        return matches.Count == 1 ? matches[0] : null;
    }

    public override string ErrorBody(string type, string message) =>
        new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } }.ToJsonString();

    private static BatchPoll Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var counts = Get(root, "request_counts");
        var failed = Int(counts, "errored") + Int(counts, "canceled") + Int(counts, "expired");
        var total = Int(counts, "processing") + Int(counts, "succeeded") + failed;
        var status = Text(root, "processing_status") ?? "in_progress";
        return new BatchPoll(Text(root, "id") ?? "", status, status == "ended", Int(counts, "succeeded"), failed, total, Text(root, "results_url"), null, null);
    }

    /// <summary>The HTTP status of an errored result's error type (§2.6).</summary>
    private static int StatusOf(JsonElement error) => Text(Get(error, "error"), "type") switch
    {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "billing_error" => 402,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        "rate_limit_error" => 429,
        "overloaded_error" => 529,
        _ => 500,
    };
}
