using System.Text.Json;

namespace SpecSynth.Tests.Fakes;

/// <summary>One file of ../shared/fixtures/recorded: a real request and the response to replay.</summary>
internal sealed record RecordedFixture(string Name, string Provider, bool Stream, int Status,
    IReadOnlyList<KeyValuePair<string, string>> Headers, string BodyText, JsonElement RequestBody, string? Notes)
{
    public static RecordedFixture Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var response = root.GetProperty("response");
        var headers = response.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object
            ? h.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString() ?? "")).ToList()
            : [];
        return new RecordedFixture(
            Path.GetFileNameWithoutExtension(path),
            root.GetProperty("provider").GetString()!,
            root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True,
            response.GetProperty("status").GetInt32(),
            headers,
            response.GetProperty("body_text").GetString()!,
            root.GetProperty("request").GetProperty("body").Clone(),
            root.TryGetProperty("notes", out var n) ? n.GetString() : null);
    }

    /// <summary>All fixture files of one provider folder (<c>anthropic</c>, <c>openai</c>, <c>ollama</c>).</summary>
    public static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.Recorded, folder), "*.json").Order(StringComparer.Ordinal);

    /// <summary>The reply to replay: status, headers (content-type defaulted as the README says), body split awkwardly.</summary>
    public FakeResponse ToResponse()
    {
        var headers = Headers.ToList();
        if (!headers.Any(p => p.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)))
        {
            var type = !Stream ? "application/json" : Provider == "ollama" ? "application/x-ndjson" : "text/event-stream";
            headers.Add(new("content-type", type));
        }
        return new FakeResponse { Status = Status, Headers = headers, Body = System.Text.Encoding.UTF8.GetBytes(BodyText) };
    }
}
