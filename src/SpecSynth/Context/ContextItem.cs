namespace SpecSynth.Context;

/// <summary>One piece of context the planner considered.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Path">The file's path (project-relative for files, output-relative for previous implementations);
/// <c>null</c> for the spec's source-less text and the tree.</param>
/// <param name="Tokens">The tokens its rendered text costs in the prompt (0 when path-only or dropped).</param>
/// <param name="State">How much of it is sent.</param>
/// <param name="Reasons">Why it was chosen (the ranker's reasons) and why it was degraded or dropped.</param>
internal sealed record ContextItem(string? Path, ContextItemKind Kind, int Tokens, ContextItemState State, IReadOnlyList<string> Reasons)
{
    /// <summary>The text this item adds to the prompt (empty when path-only or dropped).</summary>
    internal string Text { get; init; } = "";

    /// <summary>The file's content as sent (secrets redacted), for a file sent whole; else <c>null</c>. Edits are checked against it
    /// (a file that changed on disk since the prompt was built refuses its edits).</summary>
    internal string? Source { get; init; }
}
