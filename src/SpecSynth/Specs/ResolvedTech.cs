namespace SpecSynth.Specs;

/// <summary>The language and framework a generation targets, where each came from, and the evidence.</summary>
/// <param name="Language">The primary language id, or <c>null</c> (the model chooses).</param>
/// <param name="OtherLanguages">Further languages the spec clearly uses.</param>
/// <param name="Framework">The framework id, or <c>null</c>.</param>
/// <param name="LanguageSource"><c>spec</c> (stated), <c>project</c> (detected), <c>inferred</c> (implied by the spec's content) or <c>none</c>.</param>
/// <param name="FrameworkSource">As <paramref name="LanguageSource"/>, for the framework.</param>
/// <param name="LanguageEvidence">Why the language was chosen.</param>
/// <param name="FrameworkEvidence">Why the framework was chosen.</param>
public sealed record ResolvedTech(
    string? Language,
    IReadOnlyList<string> OtherLanguages,
    string? Framework,
    string LanguageSource,
    string FrameworkSource,
    IReadOnlyList<TechEvidence> LanguageEvidence,
    IReadOnlyList<TechEvidence> FrameworkEvidence)
{
    /// <summary>The text the prompt's <c>{{language}}</c> gets: <c>typescript (also javascript)</c>, or the low-confidence wording.</summary>
    public string LanguageText => Language is null
        ? "choose the best fit for the specification"
        : OtherLanguages.Count == 0 ? Language : $"{Language} (also {string.Join(", ", OtherLanguages)})";

    /// <summary>The text the prompt's <c>{{framework}}</c> gets.</summary>
    public string FrameworkText => Framework ?? "none specified";
}
