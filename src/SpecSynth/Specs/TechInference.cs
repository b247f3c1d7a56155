namespace SpecSynth.Specs;

/// <summary>
/// What a spec says or implies about its target language and framework, with the evidence. Stated values
/// (front matter, <c>Language:</c> lines, sentences such as "a Python agent" or "built with FastAPI") win over what
/// the content implies (file paths, fenced code languages, package names, build commands); a weak or split signal
/// leaves the language unset.
/// </summary>
public sealed record TechInference
{
    /// <summary>Nothing stated or implied.</summary>
    public static TechInference None { get; } = new();

    /// <summary>The primary language id, or <c>null</c> when neither stated nor clearly implied.</summary>
    public string? Language { get; init; }

    /// <summary>Further languages with clear evidence (a Bash script spec that also asks for PowerShell).</summary>
    public IReadOnlyList<string> OtherLanguages { get; init; } = [];

    /// <summary>The framework id, or <c>null</c>.</summary>
    public string? Framework { get; init; }

    /// <summary>True when the language is stated, not only implied by the content.</summary>
    public bool LanguageStated { get; init; }

    /// <summary>True when the framework is stated, not only implied by the content.</summary>
    public bool FrameworkStated { get; init; }

    /// <summary>The evidence for <see cref="Language"/> and <see cref="OtherLanguages"/>, strongest first.</summary>
    public IReadOnlyList<TechEvidence> LanguageEvidence { get; init; } = [];

    /// <summary>The evidence for <see cref="Framework"/>, strongest first.</summary>
    public IReadOnlyList<TechEvidence> FrameworkEvidence { get; init; } = [];

    /// <summary>Stated or strongly implied languages that disagree, as readable sentences (empty when none).</summary>
    public IReadOnlyList<string> Conflicts { get; init; } = [];

    /// <summary>
    /// The language and framework a generation should target in a project: what the spec states wins; else the
    /// project's detected ecosystem (the spec changes an existing project); else what the spec's content implies.
    /// </summary>
    public ResolvedTech Resolve(string? projectLanguage, string? projectFramework)
    {
        string? language;
        string source;
        IReadOnlyList<TechEvidence> languageEvidence;
        if (LanguageStated || (Language is not null && projectLanguage is null))
        {
            (language, source, languageEvidence) = (Language, LanguageStated ? "spec" : "inferred", LanguageEvidence);
        }
        else if (projectLanguage is not null)
        {
            (language, source, languageEvidence) = (projectLanguage, "project", [new TechEvidence(projectLanguage, "project", "detected in the project", 0)]);
        }
        else
        {
            (language, source, languageEvidence) = (null, "none", []);
        }
        string? framework;
        string frameworkSource;
        IReadOnlyList<TechEvidence> frameworkEvidence;
        if (Framework is not null && (FrameworkStated || projectFramework is null) && (FrameworkStated || TechFrameworks.Fits(Framework, language)))
        {
            (framework, frameworkSource, frameworkEvidence) = (Framework, FrameworkStated ? "spec" : "inferred", FrameworkEvidence);
        }
        else if (projectFramework is not null && (source == "project" || language == projectLanguage))
        {
            (framework, frameworkSource, frameworkEvidence) = (projectFramework, "project", [new TechEvidence(projectFramework, "project", "detected in the project", 0)]);
        }
        else
        {
            (framework, frameworkSource, frameworkEvidence) = (null, "none", []);
        }
        var others = OtherLanguages.Where(l => l != language).ToList();
        if (Language is not null && Language != language && source == "project" && !others.Contains(Language))
        {
            others.Insert(0, Language);
        }
        return new ResolvedTech(language, others.AsReadOnly(), framework, source, frameworkSource, languageEvidence, frameworkEvidence);
    }
}
