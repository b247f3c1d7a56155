namespace SpecSynth;

/// <summary>
/// Several specs of one run (<c>specsynth generate a.md b.md</c>): every spec is parsed and checked before any request,
/// then they run concurrently over one client (shared limits, budget, journal and write lock); each spec's files are
/// written as one all-or-nothing batch. The run-wide settings come from <see cref="Options"/> (its spec properties are ignored).
/// </summary>
public sealed record GenerateAllRequest
{
    /// <summary>The specs, each a <see cref="GenerateRequest"/> whose <c>SpecPath</c> or <c>SpecText</c> names one spec.</summary>
    public required IReadOnlyList<GenerateRequest> Specs { get; init; }

    /// <summary>The run's settings (project, output, flags, progress); its <c>SpecPath</c>/<c>SpecText</c> are ignored.</summary>
    public GenerateRequest Options { get; init; } = new();

    /// <summary><c>--concurrency</c>: how many specs run at once (1 to 64). Default 4.</summary>
    public int Concurrency { get; init; } = 4;
}
