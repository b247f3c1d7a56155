namespace SpecSynth;

/// <summary><c>specsynth index</c>: build or refresh a project's context index in the foreground.</summary>
public sealed record IndexRequest
{
    /// <summary><c>--project</c>: the folder whose files give context (its <c>specsynth.toml</c> applies); <c>null</c>: the
    /// working directory.</summary>
    public string? ProjectRoot { get; init; }
}
