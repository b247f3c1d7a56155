namespace SpecSynth.Edits;

/// <summary>What edits are applied against: the folders to read current files from, and the files as the prompt showed them.</summary>
/// <param name="OutputRoot">The full output folder (edits change files there).</param>
/// <param name="ProjectRoot">The full project folder the context was read from (read when the output folder lacks the file), or <c>null</c>.</param>
/// <param name="Sent">The content of each project file the prompt sent whole (as read, secrets redacted), by project-relative path.</param>
internal sealed record EditContext(string OutputRoot, string? ProjectRoot, IReadOnlyDictionary<string, string> Sent)
{
    /// <summary><see cref="OutputRoot"/> with its links resolved once for the run (<see cref="Output.PathGuard.RealRoot"/>), or
    /// <c>null</c> to resolve it for each path. Only the reference the paths must stay inside: each path is still resolved
    /// from the file system root.</summary>
    public string? RealOutputRoot { get; init; }

    /// <summary>A context without prompt snapshots.</summary>
    public static EditContext For(string outputRoot) => new(Path.GetFullPath(outputRoot), null, new Dictionary<string, string>(StringComparer.Ordinal));
}
