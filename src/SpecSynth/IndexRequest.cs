namespace SpecSynth;

/// <summary><c>specsynth index</c>: build or refresh a project's context index in the foreground.</summary>
public sealed record IndexRequest
{
    /// <summary><c>--project</c>: the folder whose files give context (its <c>specsynth.toml</c> applies); <c>null</c>: the
    /// working directory.</summary>
    public string? ProjectRoot { get; init; }

    /// <summary><c>--out</c>: without <see cref="ProjectRoot"/>, the folder whose files give context, with the working
    /// directory's <c>specsynth.toml</c> (as for <see cref="ContextRequest.OutputRoot"/>: the index a <c>context --out</c> or
    /// <c>generate --out</c> run reads); ignored when <see cref="ProjectRoot"/> is given.</summary>
    public string? OutputRoot { get; init; }
}
