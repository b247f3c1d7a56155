namespace SpecSynth.Specs;

/// <summary>One heading and the markdown text below it up to the next heading.</summary>
/// <param name="Heading">The heading text without markup.</param>
/// <param name="Level">1 for <c>#</c>, 2 for <c>##</c> and so on.</param>
/// <param name="Body">The section's markdown body, trimmed.</param>
/// <param name="Line">The 1-based line of the heading.</param>
public sealed record SpecSection(string Heading, int Level, string Body, int Line);
