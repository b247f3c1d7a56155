namespace SpecSynth.Specs;

/// <summary>Something a reader would flag before building from the spec.</summary>
/// <param name="Code">
/// <c>no-requirements</c>, <c>template-placeholder</c>, <c>unfilled-template</c>, <c>needs-clarification</c>, <c>todo</c> or
/// <c>contradictory-language</c>.
/// </param>
/// <param name="Message">A sentence saying what and what to do.</param>
/// <param name="Line">The 1-based line it concerns, or 0 for the whole document.</param>
public sealed record SpecWarning(string Code, string Message, int Line);
