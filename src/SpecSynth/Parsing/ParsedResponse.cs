namespace SpecSynth.Parsing;

/// <summary>What <see cref="ResponseParser.Parse"/> found in a model reply.</summary>
/// <param name="Files">The files, one per path, in reply order (for a repeated path, the last block wins).</param>
/// <param name="Explanation">The prose outside the file blocks, trimmed, line endings normalised to <c>\n</c>;
/// fenced blocks without a path stay in it.</param>
/// <param name="Warnings">One line per thing skipped or doubtful (a block without a path, a repeated path,
/// a truncated block, a block naming two paths).</param>
internal sealed record ParsedResponse(IReadOnlyList<CodeBlock> Files, string Explanation, IReadOnlyList<string> Warnings);
