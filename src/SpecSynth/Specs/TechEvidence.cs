namespace SpecSynth.Specs;

/// <summary>One clue about the target language or framework, found in the spec itself (or the project).</summary>
/// <param name="Value">The language or framework id it points to (<c>python</c>, <c>fastapi</c>).</param>
/// <param name="Kind">
/// What kind of clue: <c>front-matter</c>, <c>hint</c> (a <c>Language: …</c> line), <c>statement</c> ("a Python agent"),
/// <c>path</c> (a file the spec names), <c>fence</c> (a fenced code language), <c>name</c> (a package or framework
/// name), <c>build</c> (a build file or command), <c>framework</c> (the language a named framework implies), or
/// <c>project</c> (the existing project's detected ecosystem).
/// </param>
/// <param name="Text">The words that gave it away, as written (shortened).</param>
/// <param name="Line">The 1-based line, or 0 when it has none (front matter keys, the project).</param>
public sealed record TechEvidence(string Value, string Kind, string Text, int Line);
