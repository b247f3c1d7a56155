namespace SpecSynth.Specs;

/// <summary>One requirement of a specification.</summary>
/// <param name="Id">Its id when the spec gives one (<c>FR-001</c>, <c>REQ-3</c>, <c>1.2</c>), else <c>null</c>.</param>
/// <param name="Text">The requirement text without list markup.</param>
/// <param name="Section">The heading it was found under.</param>
/// <param name="Line">The 1-based line where it starts.</param>
public sealed record Requirement(string? Id, string Text, string Section, int Line);
