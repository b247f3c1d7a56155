namespace SpecSynth.Output;

/// <summary>The outcome of <see cref="SafeFileWriter.ApplyAsync"/>.</summary>
/// <param name="RunId">The journal run that <c>undo</c> reverts, or <c>null</c> when nothing changed or no journal was used.</param>
/// <param name="Files">Every file of the plan, with what was done to it.</param>
public sealed record WriteResult(string? RunId, IReadOnlyList<PlannedFile> Files)
{
    /// <summary>The relative paths created.</summary>
    public IReadOnlyList<string> Created => Paths(FileAction.Created);

    /// <summary>The relative paths modified.</summary>
    public IReadOnlyList<string> Modified => Paths(FileAction.Modified);

    /// <summary>The relative paths left unchanged.</summary>
    public IReadOnlyList<string> Unchanged => Paths(FileAction.Unchanged);

    private string[] Paths(FileAction action) => [.. Files.Where(f => f.Action == action).Select(f => f.Path)];
}
