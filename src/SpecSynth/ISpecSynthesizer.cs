namespace SpecSynth;

/// <summary>
/// specsynth as a service: the whole job the CLI does (scan the project, rank and plan the context, call the model through
/// specsynth's pipeline, parse, validate and repair, write atomically with the journal, record history and usage), behind
/// one call per command. Create it with <c>services.AddSpecSynth()</c> or <see cref="SpecSynthesizerFactory.Create"/>.
/// Thread-safe; each call is one run.
/// </summary>
public interface ISpecSynthesizer
{
    /// <summary>Generates one spec (<c>specsynth generate SPEC.md</c>): writes its files, or plans and diffs them for a dry run.</summary>
    /// <param name="request">The spec and the flags.</param>
    /// <param name="cancellationToken">Cancels the run; a write in progress is rolled back.</param>
    /// <exception cref="SpecSynthException">Bad input, auth, provider unavailable, unusable output, budget exceeded.</exception>
    Task<GenerateResult> GenerateAsync(GenerateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Generates several specs of one run concurrently over one client; a spec that fails does not stop the others.</summary>
    /// <param name="request">The specs and the run's flags.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="SpecSynthException">A problem of the whole run (a spec that does not parse, an unfilled template, no provider).</exception>
    /// <exception cref="GenerateInterruptedException">Cancelled after some specs were written.</exception>
    Task<GenerateAllResult> GenerateAllAsync(GenerateAllRequest request, CancellationToken cancellationToken = default);

    /// <summary>Explains code (<c>specsynth explain</c>); with <c>Stream</c>, the reply arrives as <see cref="ReplyDeltaEvent"/>s.</summary>
    /// <param name="request">The files and the flags.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ExplainResult> ExplainAsync(ExplainRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reviews code against requirements (<c>specsynth review</c>).</summary>
    /// <param name="request">The files and the flags.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ReviewResult> ReviewAsync(ReviewRequest request, CancellationToken cancellationToken = default);

    /// <summary>Plans the generate prompt for a spec without calling a model (<c>specsynth context</c>).</summary>
    /// <param name="request">The spec and the flags.</param>
    /// <param name="cancellationToken">Cancels the planning.</param>
    Task<ContextResult> ContextAsync(ContextRequest request, CancellationToken cancellationToken = default);

    /// <summary>Builds or refreshes the project's context index in the foreground (<c>specsynth index</c>): what later
    /// <c>context</c> and <c>generate</c> runs read instead of every file. Returns at once when another process is building it.</summary>
    /// <param name="request">The project.</param>
    /// <param name="cancellationToken">Cancels the build (the index stays as it was).</param>
    Task<IndexResult> IndexAsync(IndexRequest request, CancellationToken cancellationToken = default);
}
