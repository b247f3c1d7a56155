namespace SpecSynth.History;

/// <summary>A stored conversation: the generations of one spec in one project.</summary>
/// <param name="Id">The conversation id (what <c>specsynth history show ID</c> takes).</param>
/// <param name="Project">The project folder (full, normalised path).</param>
/// <param name="SpecPath">The spec, relative to the project, with '/' separators.</param>
/// <param name="Title">The spec's title.</param>
/// <param name="OutputRoot">The folder the files were last written to (full path).</param>
/// <param name="CreatedAt">When the first turn was stored.</param>
/// <param name="UpdatedAt">When the last turn was stored.</param>
/// <param name="Turns">The turns, oldest first (empty in listings that do not load them).</param>
public sealed record Conversation(long Id, string Project, string SpecPath, string Title, string OutputRoot,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<ConversationTurn> Turns)
{
    /// <summary>Every file any turn wrote, most recent first, without duplicates.</summary>
    public IReadOnlyList<string> FilesWritten =>
        Turns.Reverse().SelectMany(t => t.Files).Distinct(StringComparer.Ordinal).ToList();
}
