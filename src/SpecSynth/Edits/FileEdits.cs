namespace SpecSynth.Edits;

/// <summary>The edits a reply makes to one file, in reply order.</summary>
/// <param name="Path">The path the model gave, as written (untrusted; confined before use).</param>
/// <param name="Blocks">The edits, numbered from 1.</param>
/// <param name="Format">SEARCH/REPLACE blocks or diff hunks.</param>
/// <param name="IsComplete"><c>false</c> when the reply ended inside one of them (never applied).</param>
internal sealed record FileEdits(string Path, IReadOnlyList<EditBlock> Blocks, EditFormat Format, bool IsComplete);
