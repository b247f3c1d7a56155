namespace SpecSynth.Context;

/// <summary>A project file ranked by its relevance to a specification (the context planner takes them best first).</summary>
/// <param name="Path">Path relative to the project root, with <c>/</c> separators.</param>
/// <param name="Bytes">Size on disk in bytes.</param>
/// <param name="Score">Relevance; higher is more relevant. Comparable only within one ranking.</param>
/// <param name="Reasons">Why the file was chosen, short and human-readable (e.g. <c>named in the spec</c>,
/// <c>defines TodoStore</c>, <c>bm25 7.1 (todo, store)</c>, <c>referenced by src/App.cs</c>).</param>
internal sealed record RankedFile(string Path, long Bytes, double Score, IReadOnlyList<string> Reasons);
