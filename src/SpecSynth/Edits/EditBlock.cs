namespace SpecSynth.Edits;

/// <summary>One edit of a file from a model reply: replace the lines <paramref name="Search"/> by <paramref name="Replace"/>.</summary>
/// <param name="Search">The existing lines, each ended by <c>\n</c>; empty for a new (or empty) file.</param>
/// <param name="Replace">The new lines, each ended by <c>\n</c>.</param>
/// <param name="Number">The block's 1-based number among the blocks of its file, in reply order.</param>
/// <param name="ReplyLine">The 1-based reply line where the block starts.</param>
internal sealed record EditBlock(string Search, string Replace, int Number, int ReplyLine);
