namespace SpecSynth;

/// <summary>
/// Several specs of one run (<c>specsynth generate a.md b.md</c>): every spec is parsed and checked before any request,
/// then they run concurrently over one client (shared limits, budget, journal and write lock); each spec's files are
/// written as one all-or-nothing batch. A spec file is read and parsed again at its turn; if its bytes are not the ones
/// checked (it changed since the run started) that spec fails with <see cref="ErrorKind.InvalidInput"/> and the others go on. The run-wide settings come from <see cref="Options"/> (its spec properties are ignored).
/// </summary>
public sealed record GenerateAllRequest
{
    /// <summary>The specs, each a <see cref="GenerateRequest"/> whose <c>SpecPath</c> or <c>SpecText</c> names one spec.</summary>
    public required IReadOnlyList<GenerateRequest> Specs { get; init; }

    /// <summary>The run's settings (project, output, flags, progress); its <c>SpecPath</c>/<c>SpecText</c> are ignored.</summary>
    public GenerateRequest Options { get; init; } = new();

    /// <summary><c>--concurrency</c>: how many specs run at once (1 to 64). Default 4.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Streams each spec's result or failure to the host as soon as that spec finished, instead of keeping them
    /// all until the end: called once per spec, in the order the specs finish (never two calls at once; a call that throws
    /// ends the run as a failure would). The <see cref="GenerateAllResult"/> of such a run keeps only the counts
    /// (<see cref="GenerateAllResult.Results"/> and <see cref="GenerateAllResult.Failures"/> are empty), and each spec's parsed
    /// text is let go once it ran, so the memory of a run does not grow with its specs. A
    /// <see cref="GenerateInterruptedException"/> then carries of each written spec only its spec, provider, model, usage, cost,
    /// output folder, files (without their validation), whether it validated and in how many rounds, journal run and
    /// conversation. <c>null</c> (the default): every result is returned at the end.</summary>
    public Func<GenerateSpecDone, CancellationToken, ValueTask>? OnSpecDone { get; init; }

    /// <summary><c>--batch</c>: send the specs' generate requests through the provider's batch API (Anthropic Message
    /// Batches, OpenAI Batch) at half the price, then parse, validate, repair (as normal requests) and write each spec as
    /// usual. Also on with <c>[batch] enabled</c> for runs of at least <c>min_specs</c> specs. A provider without a batch
    /// API (Ollama, the mock, a host's client) gets one warning and runs normally. <see cref="Concurrency"/> does not
    /// apply: every spec waits for the batch together.</summary>
    public bool Batch { get; init; }

    /// <summary><c>--batch-repairs</c> with <see cref="Batch"/>: the first repair round of the specs whose batched files are
    /// invalid goes into a second batch (at half the price, once every spec has either asked for a repair or needs none)
    /// instead of normal requests. Later rounds, and repairs of a resumed run, are normal requests.</summary>
    public bool BatchRepairs { get; init; }

    /// <summary><c>specsynth batch resume ID</c>: collect the batch <c>ID</c> (specsynth's id or the provider's) of an
    /// earlier run: its specs and flags come from the state folder (<see cref="Specs"/> is ignored), specs already written
    /// are skipped, and requests still running are polled, never submitted again.</summary>
    public string? ResumeBatch { get; init; }

    /// <summary><c>--retry-failed</c> with <see cref="ResumeBatch"/>: submit the errored, expired and canceled requests again
    /// (in a new batch) instead of reporting their errors.</summary>
    public bool RetryFailed { get; init; }
}
