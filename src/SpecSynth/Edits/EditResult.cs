namespace SpecSynth.Edits;

/// <summary>The result of applying one file's edits in memory.</summary>
/// <param name="Content">The new content (the file's own line endings and final newline kept), or <c>null</c> when refused.</param>
/// <param name="Outcome">Exact, fuzzy or refused.</param>
/// <param name="Problems">Why it was refused: one message per failed block, naming the block and the nearest real lines.</param>
internal sealed record EditResult(string? Content, EditOutcome Outcome, IReadOnlyList<string> Problems);
