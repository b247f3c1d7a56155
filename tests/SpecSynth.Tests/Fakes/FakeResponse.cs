using System.Text;

namespace SpecSynth.Tests.Fakes;

/// <summary>A scripted reply: status, headers and a body written in small, awkwardly split chunks.</summary>
internal sealed record FakeResponse
{
    /// <summary>Chunk sizes used in turn; 1- and 2-byte chunks split multi-byte UTF-8 characters and SSE lines.</summary>
    public static readonly int[] AwkwardChunkSizes = [1, 2, 5, 11, 3, 17, 64, 7, 1, 29];

    public int Status { get; init; } = 200;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public byte[] Body { get; init; } = [];

    /// <summary>Chunk sizes to cycle through; empty writes the body in one piece.</summary>
    public IReadOnlyList<int> ChunkSizes { get; init; } = AwkwardChunkSizes;

    /// <summary>A pause before each chunk (slow servers, timeouts).</summary>
    public TimeSpan DelayPerChunk { get; init; }

    /// <summary>When set, the connection is aborted after this many body bytes (a cut stream).</summary>
    public int? AbortAfterBytes { get; init; }

    /// <summary>When set, the connection is aborted before the status line and headers are sent.</summary>
    public bool AbortBeforeHeaders { get; init; }

    /// <summary>When set, the server accepts the request and never answers: no status line, no byte, until the client
    /// goes away (real time).</summary>
    public bool NeverAnswer { get; init; }

    /// <summary>A server that accepts and never answers (<see cref="NeverAnswer"/>).</summary>
    public static FakeResponse Hang() => new() { NeverAnswer = true };

    /// <summary>When set with <see cref="Pause"/>, the server stalls once after this many body bytes (a hung stream).</summary>
    public int? PauseAfterBytes { get; init; }

    /// <summary>How long the stall of <see cref="PauseAfterBytes"/> lasts (real time; ends early when the client goes away).</summary>
    public TimeSpan Pause { get; init; }

    public static FakeResponse Text(int status, string contentType, string body, params (string Name, string Value)[] headers) => new()
    {
        Status = status,
        Headers = [new("content-type", contentType), .. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))],
        Body = Encoding.UTF8.GetBytes(body),
    };

    public static FakeResponse Json(string body, int status = 200, params (string Name, string Value)[] headers) =>
        Text(status, "application/json", body, headers);

    public static FakeResponse Sse(string body, params (string Name, string Value)[] headers) =>
        Text(200, "text/event-stream; charset=utf-8", body, headers);

    public static FakeResponse Ndjson(string body) => Text(200, "application/x-ndjson", body);

    public FakeResponse WithHeader(string name, string value) => this with { Headers = [.. Headers, new(name, value)] };
}
