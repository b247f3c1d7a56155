namespace SpecSynth.Usage;

/// <summary>One logical model call as the caller saw it (retries, key rotation, fallback and continuation inside it),
/// a row of the usage ledger and a line of the audit log. Holds no key, only the key's variable name.</summary>
internal sealed record UsageRecord
{
    /// <summary>When the call started.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The run (CLI invocation) it belongs to.</summary>
    public required string RunId { get; init; }

    /// <summary>generate, continuation, explain, review, repair, compact (or other when untagged).</summary>
    public required string Operation { get; init; }

    /// <summary>The spec's path (else title), when the call is about one.</summary>
    public string? Spec { get; init; }

    /// <summary>The project folder of the run, when there is one.</summary>
    public string? Project { get; init; }

    /// <summary>The provider that answered (on failure: the one that failed last, else the first of the chain).</summary>
    public required string Provider { get; init; }

    /// <summary>The model that answered (as the provider named it), else the configured model.</summary>
    public required string Model { get; init; }

    /// <summary>The environment variable the answering key came from (never the key), or <c>null</c>.</summary>
    public string? KeyAlias { get; init; }

    /// <summary>Tokens billed for this call (zero for a cache hit).</summary>
    public TokenUsage Tokens { get; init; } = TokenUsage.Zero;

    /// <summary>The list-price cost in USD (catalog prices incl. cache prices; zero for a cache hit or a free provider).</summary>
    public decimal CostUsd { get; init; }

    /// <summary>From the start of the call to its last update, answer or failure.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Streamed calls: from the start to the first text; <c>null</c> otherwise or when no text came.</summary>
    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>Times the request was sent again (<see cref="CallStats.Retries"/>).</summary>
    public int Retries { get; init; }

    /// <summary><c>ok</c>, <c>cancelled</c>, or the error kind (<c>auth</c>, <c>provider_unavailable</c>, <c>invalid_input</c>, ...).</summary>
    public required string Outcome { get; init; }

    /// <summary>Whether the response cache answered.</summary>
    public bool CacheHit { get; init; }

    /// <summary>Whether the call was streamed.</summary>
    public bool Streamed { get; init; }
}
