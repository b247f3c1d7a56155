using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpecSynth.Tests.Fakes;

/// <summary>
/// OpenAI Batch on a <see cref="FakeProviderServer"/> (protocol reference §6.3): file upload (multipart, purpose=batch),
/// create, retrieve (validating, in_progress, then completed with output and error files), list, cancel, and the files'
/// content, each written in reverse order of the input lines. What each request gets is <see cref="Answer"/>(custom_id, body).
/// </summary>
internal sealed class OpenAIBatchFake
{
    private readonly ConcurrentDictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Batch> _batches = new(StringComparer.Ordinal);
    private int _next;

    public OpenAIBatchFake(FakeProviderServer server)
    {
        Server = server;
        server.Router = Route;
    }

    public FakeProviderServer Server { get; }

    /// <summary>A request's outcome: an HTTP status and body, or (status 0) a top-level error code and message.</summary>
    public Func<string, JsonElement, (int Status, string Body)> Answer { get; set; } = (_, _) => Succeeded("no answer scripted");

    public int PollsBeforeEnd { get; set; } = 1;

    public int Creates => Server.Requests.Count(r => r.Method == "POST" && r.Path == "/v1/batches");

    /// <summary>The uploaded input lines of every batch.</summary>
    public IReadOnlyList<JsonElement> Lines => [.. _batches.Values.SelectMany(b => b.Lines)];

    public static (int, string) Succeeded(string text) => (200, Encoding.UTF8.GetString(OpenAIWire.Json(text, "stop", 1000, 200).Body));

    public static (int, string) Failed(int status, string message) =>
        (status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = null, ["code"] = null } }.ToJsonString());

    public static (int, string) NoAnswer(string code, string message) => (0, new JsonObject { ["code"] = code, ["message"] = message }.ToJsonString());

    private FakeResponse? Route(RecordedRequest r)
    {
        if (r.Method == "POST" && r.Path == "/v1/files")
        {
            if (!r.Body.Contains("purpose", StringComparison.Ordinal) || !r.Body.Contains("batch", StringComparison.Ordinal)
                || !r.Body.Contains(".jsonl", StringComparison.Ordinal))
            {
                return OpenAIWire.Error(400, "Invalid file format for Batch API. Must be .jsonl", "invalid_request_error", null);
            }
            var lines = r.Body.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("{\"custom_id\"", StringComparison.Ordinal));
            var id = "file-" + Interlocked.Increment(ref _next).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            _files[id] = string.Join("\n", lines);
            return FakeResponse.Json(new JsonObject { ["id"] = id, ["object"] = "file", ["purpose"] = "batch", ["status"] = "processed" }.ToJsonString());
        }
        if (r.Method == "POST" && r.Path == "/v1/batches")
        {
            var body = r.Json;
            var file = body.GetProperty("input_file_id").GetString()!;
            if (!_files.TryGetValue(file, out var content) || body.GetProperty("endpoint").GetString() != "/v1/chat/completions")
            {
                return OpenAIWire.Error(400, "bad input file or endpoint", "invalid_request_error", "missing_required_parameter");
            }
            var id = "batch_" + Interlocked.Increment(ref _next).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            var lines = content.Split('\n').Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            var tag = body.TryGetProperty("metadata", out var m) ? m.GetRawText() : "{}";
            _batches[id] = new Batch(id, lines, tag);
            return FakeResponse.Json(Object(_batches[id]));
        }
        if (r.Method == "GET" && r.Path == "/v1/batches")
        {
            var list = new JsonArray([.. _batches.Values.Select(b => JsonNode.Parse(Object(b)))]);
            return FakeResponse.Json(new JsonObject { ["object"] = "list", ["data"] = list, ["has_more"] = false }.ToJsonString());
        }
        if (r.Path.StartsWith("/v1/batches/", StringComparison.Ordinal))
        {
            var parts = r.Path["/v1/batches/".Length..].Split('/');
            if (!_batches.TryGetValue(parts[0], out var batch))
            {
                return OpenAIWire.Error(404, "No batch found", "invalid_request_error", null);
            }
            if (r.Method == "GET" && parts.Length == 1)
            {
                if (Interlocked.Increment(ref batch.Polls) > PollsBeforeEnd)
                {
                    Finish(batch);
                }
                return FakeResponse.Json(Object(batch));
            }
            return OpenAIWire.Error(400, "unexpected", "invalid_request_error", null);
        }
        if (r.Method == "GET" && r.Path.StartsWith("/v1/files/", StringComparison.Ordinal) && r.Path.EndsWith("/content", StringComparison.Ordinal))
        {
            var id = r.Path["/v1/files/".Length..^"/content".Length];
            return _files.TryGetValue(id, out var content) ? FakeResponse.Text(200, "application/octet-stream", content) : OpenAIWire.Error(404, "No such file", "invalid_request_error", null);
        }
        return null;
    }

    private void Finish(Batch batch)
    {
        if (batch.Status == "completed")
        {
            return;
        }
        var output = new StringBuilder();
        var errors = new StringBuilder();
        foreach (var line in Enumerable.Reverse(batch.Lines))
        {
            var customId = line.GetProperty("custom_id").GetString()!;
            var (status, answer) = Answer(customId, line.GetProperty("body"));
            var body = JsonNode.Parse(answer)!.ToJsonString(); // one line each
            var text = status == 0
                ? $"{{\"id\":\"batch_req_x\",\"custom_id\":{JsonSerializer.Serialize(customId)},\"response\":null,\"error\":{body}}}"
                : $"{{\"id\":\"batch_req_x\",\"custom_id\":{JsonSerializer.Serialize(customId)},\"response\":{{\"status_code\":{status},\"request_id\":\"req_1\",\"body\":{body}}},\"error\":null}}";
            (status == 200 ? output : errors).Append(text).Append('\n');
        }
        if (output.Length > 0)
        {
            batch.OutputFile = "file-out-" + batch.Id;
            _files[batch.OutputFile] = output.ToString();
        }
        if (errors.Length > 0)
        {
            batch.ErrorFile = "file-err-" + batch.Id;
            _files[batch.ErrorFile] = errors.ToString();
        }
        batch.Status = "completed";
    }

    private static string Object(Batch b) => new JsonObject
    {
        ["id"] = b.Id,
        ["object"] = "batch",
        ["endpoint"] = "/v1/chat/completions",
        ["status"] = b.Status,
        ["output_file_id"] = b.OutputFile,
        ["error_file_id"] = b.ErrorFile,
        ["request_counts"] = new JsonObject { ["total"] = b.Lines.Count, ["completed"] = 0, ["failed"] = 0 },
        ["metadata"] = JsonNode.Parse(b.Metadata),
    }.ToJsonString();

    private sealed class Batch(string id, IReadOnlyList<JsonElement> lines, string metadata)
    {
        public string Id { get; } = id;

        public IReadOnlyList<JsonElement> Lines { get; } = lines;

        public string Metadata { get; } = metadata;

        public int Polls;

        public volatile string Status = "in_progress";

        public volatile string? OutputFile;

        public volatile string? ErrorFile;
    }
}
