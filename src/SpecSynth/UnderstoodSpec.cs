using SpecSynth.Specs;

namespace SpecSynth;

/// <summary>What specsynth understood of a spec (title, language and framework with where they came from and the evidence,
/// requirement and task counts, warnings): <c>"understood"</c> in <c>generate --json</c> and <c>context --json</c>.</summary>
public sealed record UnderstoodSpec(string Title, string TitleSource, string? Language, IReadOnlyList<string> OtherLanguages,
    string LanguageSource, string? Framework, string FrameworkSource, IReadOnlyList<UnderstoodEvidence> LanguageEvidence,
    IReadOnlyList<UnderstoodEvidence> FrameworkEvidence, int Requirements, int Tasks, IReadOnlyList<UnderstoodWarning> Warnings)
{
    /// <summary>The view of <paramref name="spec"/>, its technology resolved against the project's when there is one.</summary>
    /// <param name="spec">The parsed spec.</param>
    /// <param name="projectLanguage">The project's language, or <c>null</c>.</param>
    /// <param name="projectFramework">The project's framework, or <c>null</c>.</param>
    public static UnderstoodSpec From(Specification spec, string? projectLanguage, string? projectFramework)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var tech = spec.ResolveTech(projectLanguage, projectFramework);
        return new UnderstoodSpec(spec.Title, spec.TitleSource, tech.Language, tech.OtherLanguages, tech.LanguageSource,
            tech.Framework, tech.FrameworkSource, tech.LanguageEvidence.Select(Evidence).ToList(), tech.FrameworkEvidence.Select(Evidence).ToList(),
            spec.Requirements.Count, spec.Tasks.Count, spec.Warnings.Select(w => new UnderstoodWarning(w.Code, w.Message, w.Line)).ToList());
    }

    private static UnderstoodEvidence Evidence(TechEvidence e) => new(e.Value, e.Kind, e.Text, e.Line);
}

/// <summary>One piece of evidence for a language or framework.</summary>
public sealed record UnderstoodEvidence(string Value, string Kind, string Text, int Line);

/// <summary>A spec warning (<c>spec check</c>'s).</summary>
public sealed record UnderstoodWarning(string Code, string Message, int Line);
