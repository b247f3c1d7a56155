namespace SpecSynth.Parsing;

/// <summary>What <see cref="ResponseParser.Parse"/> found in a model reply.</summary>
/// <param name="Files">The files, one per path, in reply order (for a repeated path, the last block wins).</param>
/// <param name="Explanation">The prose outside the file blocks, trimmed, line endings normalised to <c>\n</c>;
/// fenced blocks without a path stay in it.</param>
/// <param name="Warnings">One line per thing skipped or doubtful (a block without a path, a repeated path,
/// a truncated block, a block naming two paths).</param>
internal sealed record ParsedResponse(IReadOnlyList<CodeBlock> Files, string Explanation, IReadOnlyList<string> Warnings)
{
    /// <summary>The SEARCH/REPLACE blocks and diff hunks, one entry per path in reply order (blocks of several fences joined,
    /// numbered from 1 per file).</summary>
    public IReadOnlyList<global::SpecSynth.Edits.FileEdits> Edits { get; init; } = [];

    /// <summary>The number of edit blocks (SEARCH/REPLACE blocks and diff hunks) in the reply.</summary>
    public int EditBlocks => Edits.Sum(e => e.Blocks.Count);
}
