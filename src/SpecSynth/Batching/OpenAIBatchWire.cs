using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpecSynth.Batching;

/// <summary>OpenAI Batch: upload the JSONL (<c>POST /files</c>, <c>purpose=batch</c>), <c>POST /batches</c> (tagged with
/// specsynth's id in <c>metadata</c>), poll, then the output and error files.</summary>
internal sealed class OpenAIBatchWire(Uri root, IReadOnlyList<KeyValuePair<string, string[]>> headers, HttpMessageInvoker http)
    : BatchWire(root, headers, http)
{
    /// <summary>The metadata key that names specsynth's own id of a batch.</summary>
    public const string MetadataKey = "specsynth_batch";

    private const string Endpoint = "/v1/chat/completions";

    public override string Provider => Providers.ProviderIds.OpenAI;

    public override int MaxRequests => 50_000;

    /// <summary>200 MB, less a margin.</summary>
    public override long MaxBytes => 190L * 1024 * 1024;

    private string Base => Root.AbsoluteUri.TrimEnd('/');

    public override async Task<string> SubmitAsync(string localId, IReadOnlyList<(string CustomId, string Body)> requests, CancellationToken cancellationToken)
    {
        var jsonl = new StringBuilder();
        foreach (var (customId, body) in requests)
        {
            jsonl.Append(new JsonObject { ["custom_id"] = customId, ["method"] = "POST", ["url"] = Endpoint, ["body"] = Params(body) }.ToJsonString()).Append('\n');
        }
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("batch"), "purpose");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(jsonl.ToString()));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        form.Add(file, "file", localId + ".jsonl");
        var uploaded = await SendAsync(HttpMethod.Post, new Uri(Base + "/files"), form, cancellationToken).ConfigureAwait(false);
        string fileId;
        using (var doc = JsonDocument.Parse(uploaded))
        {
            fileId = Text(doc.RootElement, "id") ?? throw new BatchHttpException(200, uploaded, "the upload answered no file id");
        }
        var create = new JsonObject
        {
            ["input_file_id"] = fileId,
            ["endpoint"] = Endpoint,
            ["completion_window"] = "24h",
            ["metadata"] = new JsonObject { [MetadataKey] = localId },
        };
        var answer = await SendAsync(HttpMethod.Post, new Uri(Base + "/batches"), Json(create), cancellationToken).ConfigureAwait(false);
        using var created = JsonDocument.Parse(answer);
        return Text(created.RootElement, "id") ?? throw new BatchHttpException(200, answer, "the batch was created without an id");
    }

    public override async Task<BatchPoll> PollAsync(string remoteId, CancellationToken cancellationToken) =>
        Parse(await SendAsync(HttpMethod.Get, new Uri(Base + "/batches/" + Uri.EscapeDataString(remoteId)), null, cancellationToken).ConfigureAwait(false));

    public override async Task<BatchPoll> CancelAsync(string remoteId, CancellationToken cancellationToken) =>
        Parse(await SendAsync(HttpMethod.Post, new Uri(Base + "/batches/" + Uri.EscapeDataString(remoteId) + "/cancel"), null, cancellationToken)
            .ConfigureAwait(false));

    public override async IAsyncEnumerable<BatchLine> ResultsAsync(BatchPoll ended, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var fileId in new[] { ended.ResultsUrl, ended.ErrorsUrl })
        {
            if (fileId is null)
            {
                continue;
            }
            using var response = await OpenAsync(HttpMethod.Get, new Uri(Base + "/files/" + Uri.EscapeDataString(fileId) + "/content"), null, cancellationToken)
                .ConfigureAwait(false);
            await foreach (var line in LinesAsync(response, cancellationToken).ConfigureAwait(false))
            {
                if (Text(line, "custom_id") is not { } customId)
                {
                    continue;
                }
                // Judge a line by response.status_code; the top-level error is for requests that got no HTTP answer.
                var answer = Get(line, "response");
                if (answer.ValueKind == JsonValueKind.Object && Int(answer, "status_code") is var status and > 0)
                {
                    var body = Get(answer, "body");
                    yield return new BatchLine(customId, status is >= 200 and < 300 ? "succeeded" : "errored", status,
                        body.ValueKind == JsonValueKind.Undefined ? "{}" : body.GetRawText());
                    continue;
                }
                var error = Get(line, "error");
                var code = Text(error, "code") ?? "batch_error";
                var message = Text(error, "message") ?? "the batch gave no answer for this request";
                var outcome = code switch { "batch_expired" => "expired", "batch_cancelled" => "canceled", _ => "errored" };
                yield return new BatchLine(customId, outcome, 400, ErrorBody(code, message));
            }
        }
    }

    public override async Task<string?> FindAsync(string localId, DateTimeOffset submittedAt, int count, IReadOnlySet<string> known,
        CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, new Uri(Base + "/batches?limit=100"), null, cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(answer);
        foreach (var batch in Get(doc.RootElement, "data").EnumerateArray())
        {
            if (Text(Get(batch, "metadata"), MetadataKey) == localId && Text(batch, "id") is { } id)
            {
                return id;
            }
        }
        return null;
    }

    public override string ErrorBody(string type, string message) =>
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = type } }.ToJsonString();

    private static BatchPoll Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var status = Text(root, "status") ?? "validating";
        var counts = Get(root, "request_counts");
        string? failure = null;
        if (status == "failed")
        {
            var errors = Get(Get(root, "errors"), "data");
            failure = errors.ValueKind == JsonValueKind.Array
                ? string.Join("; ", errors.EnumerateArray().Select(e => $"{Text(e, "code")}: {Text(e, "message")}"))
                : "the batch failed";
        }
        return new BatchPoll(Text(root, "id") ?? "", status, status is "completed" or "failed" or "expired" or "cancelled",
            Int(counts, "completed"), Int(counts, "failed"), Int(counts, "total"), Text(root, "output_file_id"), Text(root, "error_file_id"), failure);
    }
}
