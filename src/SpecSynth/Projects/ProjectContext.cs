namespace SpecSynth.Projects;

/// <summary>What the model may see of a project: its text files (redacted), its tree and its kind.</summary>
internal sealed record ProjectContext
{
    /// <summary>The absolute project root.</summary>
    public required string Root { get; init; }

    /// <summary>Detected primary language (e.g. <c>csharp</c>), or <c>null</c> when unknown.</summary>
    public string? Language { get; init; }

    /// <summary>Detected framework (e.g. <c>aspnetcore</c>), or <c>null</c> when unknown.</summary>
    public string? Framework { get; init; }

    /// <summary>Text files read into context, sorted by path.</summary>
    public IReadOnlyList<ProjectFile> Files { get; init; } = [];

    /// <summary>Every path that was considered (including files not read), sorted, for the project tree.</summary>
    public IReadOnlyList<string> Tree { get; init; } = [];

    /// <summary>Paths deliberately not read because they hold or may hold secrets.</summary>
    public IReadOnlyList<string> SecretFilesSkipped { get; init; } = [];

    /// <summary>How many secret-looking values were redacted across all files.</summary>
    public int RedactionCount { get; init; }

    /// <summary>What the walk found for each path of <see cref="Tree"/> (size, link or not), in the same order; empty
    /// when the context was not built by <see cref="ProjectScanner"/>.</summary>
    internal IReadOnlyList<WalkEntry> Entries { get; init; } = [];

    /// <summary>An empty context for a folder that does not exist yet.</summary>
    public static ProjectContext Empty(string root) => new() { Root = root };
}
