using SpecSynth.Middleware;

namespace SpecSynth;

/// <summary>What a run of several specs produced: per spec (in the order given) its result or its failure.</summary>
/// <param name="Results">Each spec's result, or <c>null</c> where it failed.</param>
/// <param name="Failures">Each spec's failure, or <c>null</c> where it succeeded.</param>
/// <param name="Events">Every retry, wait, fallback and continuation of the run.</param>
public sealed record GenerateAllResult(IReadOnlyList<GenerateResult?> Results, IReadOnlyList<GenerateFailure?> Failures,
    IReadOnlyList<ResilienceEvent> Events)
{
    /// <summary>The batches of a <c>--batch</c> run (ids, provider status, per-spec state), or <c>null</c> for a normal run.</summary>
    public IReadOnlyList<BatchInfo>? Batches { get; init; }

    /// <summary>How many specs succeeded (counted from <see cref="Results"/> unless set, as a run with
    /// <see cref="GenerateAllRequest.OnSpecDone"/> does).</summary>
    public int Succeeded
    {
        get => _succeeded ?? Results.Count(r => r is not null);
        init => _succeeded = value;
    }

    /// <summary>How many failed (counted from <see cref="Failures"/> unless set).</summary>
    public int Failed
    {
        get => _failed ?? Failures.Count(f => f is not null);
        init => _failed = value;
    }

    private readonly int? _succeeded;
    private readonly int? _failed;
}

/// <summary>A spec of a run of several that failed.</summary>
/// <param name="Spec">The spec as given.</param>
/// <param name="Kind">What kind of failure.</param>
/// <param name="Message">The error (secrets redacted).</param>
public sealed record GenerateFailure(string Spec, ErrorKind Kind, string Message);
