using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpecSynth.Tests.Fakes;

/// <summary>
/// Anthropic Message Batches on a <see cref="FakeProviderServer"/> (protocol reference §6.2): create (requests inline),
/// retrieve (in_progress, then ended with a results_url), list, cancel, and the results JSONL, written in reverse order of
/// submission so a client matching by position fails. What each request gets is <see cref="Answer"/>(custom_id, params).
/// </summary>
internal sealed class AnthropicBatchFake
{
    private readonly ConcurrentDictionary<string, Batch> _batches = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<int> _pollFailures = new();
    private int _next;

    public AnthropicBatchFake(FakeProviderServer server)
    {
        Server = server;
        server.Router = Route;
    }

    public FakeProviderServer Server { get; }

    /// <summary>The <c>result</c> object of a request: <see cref="Succeeded"/>, <see cref="Errored"/>, <see cref="Expired"/>…</summary>
    public Func<string, JsonElement, string> Answer { get; set; } = (_, _) => Succeeded("no answer scripted");

    /// <summary>Polls answered <c>in_progress</c> before the batch ends.</summary>
    public int PollsBeforeEnd { get; set; } = 1;

    /// <summary>Batches never end (for an interrupted run).</summary>
    public bool NeverEnd { get; set; }

    /// <summary>Create calls are held: recorded, never answered, no batch made (a client killed before the provider accepted).</summary>
    public bool HoldCreates { get; set; }

    /// <summary>Create calls make the batch but their answer is held (accepted, the answer never reaches the client).</summary>
    public bool HoldCreateAnswers { get; set; }

    /// <summary>Polls (retrieve) are held: never answered.</summary>
    public bool HoldPolls { get; set; }

    /// <summary>When set, the results JSONL is sent in 128-byte pieces, each after this pause (so a client writes one result
    /// before the next arrives).</summary>
    public TimeSpan ResultsPause { get; set; }

    /// <summary>The batches created (however many create calls came).</summary>
    public int Count => _batches.Count;

    /// <summary>The create calls received.</summary>
    public int Creates => Server.Requests.Count(r => r.Method == "POST" && r.Path == "/v1/messages/batches");

    /// <summary>Every request of every batch: custom_id and params.</summary>
    public IReadOnlyList<(string CustomId, JsonElement Params)> Submitted => [.. _batches.Values.OrderBy(b => b.Id, StringComparer.Ordinal).SelectMany(b => b.Requests)];

    /// <summary>The next polls answer these statuses first (e.g. 503, 429).</summary>
    public void FailNextPolls(params int[] statuses)
    {
        foreach (var s in statuses)
        {
            _pollFailures.Enqueue(s);
        }
    }

    /// <summary>Adds a batch as if a client had created it (for a lost create answer).</summary>
    public string Add(IReadOnlyList<(string CustomId, JsonElement Params)> requests)
    {
        var id = "msgbatch_" + Interlocked.Increment(ref _next).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        _batches[id] = new Batch(id, requests);
        return id;
    }

    public static string Succeeded(string text, long input = 1000, long output = 200) => "{\"type\":\"succeeded\",\"message\":"
        + Encoding.UTF8.GetString(AnthropicWire.Json(text, "end_turn", input, output, 0, 0, "claude-sonnet-4-5-20250929").Body) + "}";

    public static string Errored(string type, string message) =>
        new JsonObject { ["type"] = "errored", ["error"] = new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } } }.ToJsonString();

    public static string Expired() => """{"type":"expired"}""";

    public static string Canceled() => """{"type":"canceled"}""";

    private FakeResponse? Route(RecordedRequest r)
    {
        const string root = "/v1/messages/batches";
        if (!r.Path.StartsWith(root, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = r.Path[root.Length..].Trim('/');
        if (r.Method == "POST" && rest.Length == 0)
        {
            var requests = r.Json.GetProperty("requests").EnumerateArray()
                .Select(q => (q.GetProperty("custom_id").GetString()!, q.GetProperty("params").Clone())).ToList();
            if (requests.Select(q => q.Item1).Distinct(StringComparer.Ordinal).Count() != requests.Count)
            {
                return AnthropicWire.Error(400, "invalid_request_error", "requests: custom_id values must be unique");
            }
            if (HoldCreates)
            {
                return FakeResponse.Hang();
            }
            var created = FakeResponse.Json(Object(_batches[Add(requests)]));
            return HoldCreateAnswers ? FakeResponse.Hang() : created;
        }
        if (r.Method == "GET" && rest.Length == 0)
        {
            var list = new JsonArray([.. _batches.Values.OrderByDescending(b => b.Id, StringComparer.Ordinal).Select(b => JsonNode.Parse(Object(b)))]);
            return FakeResponse.Json(new JsonObject { ["data"] = list, ["has_more"] = false }.ToJsonString());
        }
        var parts = rest.Split('/');
        if (!_batches.TryGetValue(parts[0], out var batch))
        {
            return AnthropicWire.Error(404, "not_found_error", "batch not found");
        }
        if (r.Method == "GET" && parts.Length == 1)
        {
            if (HoldPolls)
            {
                return FakeResponse.Hang();
            }
            if (_pollFailures.TryDequeue(out var status))
            {
                return status == 429 ? AnthropicWire.Error(429, "rate_limit_error", "slow down") : AnthropicWire.Error(status, "api_error", "try again");
            }
            if (!NeverEnd && Interlocked.Increment(ref batch.Polls) > PollsBeforeEnd)
            {
                batch.Ended = true;
            }
            return FakeResponse.Json(Object(batch));
        }
        if (r.Method == "POST" && parts is [_, "cancel"])
        {
            batch.Canceled = true;
            batch.Ended = true;
            return FakeResponse.Json(Object(batch));
        }
        if (r.Method == "GET" && parts is [_, "results"] && batch.Ended)
        {
            var lines = new StringBuilder();
            foreach (var (customId, parameters) in Enumerable.Reverse(batch.Requests))
            {
                var result = batch.Canceled ? Canceled() : Answer(customId, parameters);
                lines.Append("{\"custom_id\":").Append(JsonSerializer.Serialize(customId)).Append(",\"result\":").Append(result).Append("}\n");
            }
            var results = FakeResponse.Text(200, "application/x-jsonl", lines.ToString());
            return ResultsPause > TimeSpan.Zero ? results with { ChunkSizes = [128], DelayPerChunk = ResultsPause } : results;
        }
        return AnthropicWire.Error(400, "invalid_request_error", "unexpected batch call " + r.Method + " " + r.Path);
    }

    private string Object(Batch b)
    {
        var n = b.Requests.Count;
        var counts = b.Ended
            ? new JsonObject { ["processing"] = 0, ["succeeded"] = n, ["errored"] = 0, ["canceled"] = 0, ["expired"] = 0 }
            : new JsonObject { ["processing"] = n, ["succeeded"] = 0, ["errored"] = 0, ["canceled"] = 0, ["expired"] = 0 };
        return new JsonObject
        {
            ["id"] = b.Id,
            ["type"] = "message_batch",
            ["processing_status"] = b.Ended ? "ended" : b.Canceled ? "canceling" : "in_progress",
            ["request_counts"] = counts,
            ["created_at"] = b.Created.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["results_url"] = b.Ended ? new Uri(Server.BaseUrl, $"v1/messages/batches/{b.Id}/results").AbsoluteUri : null,
        }.ToJsonString();
    }

    private sealed class Batch(string id, IReadOnlyList<(string CustomId, JsonElement Params)> requests)
    {
        public string Id { get; } = id;

        public DateTimeOffset Created { get; } = DateTimeOffset.UtcNow;

        public IReadOnlyList<(string CustomId, JsonElement Params)> Requests { get; } = requests;

        public int Polls;

        public volatile bool Ended;

        public volatile bool Canceled;
    }
}
