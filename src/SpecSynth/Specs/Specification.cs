namespace SpecSynth.Specs;

/// <summary>A parsed specification document. Immutable; built by <c>SpecParser</c>.</summary>
public sealed record Specification
{
    /// <summary>
    /// The document title: front-matter <c>title</c>/<c>name</c>, a PRP-style <c>name:</c> header line, the first H1,
    /// the first heading; a generic section name ("Goal", "Overview") gives way to a specific H1 or the file name.
    /// </summary>
    public required string Title { get; init; }

    /// <summary>Where <see cref="Title"/> came from: <c>front-matter</c>, <c>header-line</c>, <c>h1</c>, <c>heading</c>, <c>file-name</c>, <c>folder</c> or <c>none</c>.</summary>
    public string TitleSource { get; init; } = "none";

    /// <summary>The full markdown text as read (UTF-8, BOM removed, line endings kept).</summary>
    public required string RawText { get; init; }

    /// <summary>The path it was read from, or <c>null</c> when parsed from a string.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The sections in document order, one per heading.</summary>
    public IReadOnlyList<SpecSection> Sections { get; init; } = [];

    /// <summary>
    /// Requirements: list items under requirement-like headings, FR-/SC-/NFR- ids, EARS sentences, Kiro acceptance
    /// criteria, OpenSpec <c>Requirement:</c> blocks, the components, interfaces, error handling and testing strategy of
    /// design documents, the public items of an API list, and the steps of a numbered plan.
    /// </summary>
    public IReadOnlyList<Requirement> Requirements { get; init; } = [];

    /// <summary>Task checklist items (<c>- [ ] T001 …</c>, Kiro <c>- [ ] 1. …</c>): work to do, not requirements.</summary>
    public IReadOnlyList<SpecTask> Tasks { get; init; } = [];

    /// <summary>
    /// The target language the spec states or clearly implies (lower case, e.g. <c>csharp</c>, <c>python</c>), or
    /// <c>null</c>; <see cref="Tech"/> has the evidence.
    /// </summary>
    public string? Language { get; init; }

    /// <summary>The framework the spec states or clearly implies (e.g. <c>aspnetcore</c>, <c>fastapi</c>), or <c>null</c>.</summary>
    public string? Framework { get; init; }

    /// <summary>The language and framework inference with its evidence (see <see cref="TechInference.Resolve"/>).</summary>
    public TechInference Tech { get; init; } = TechInference.None;

    /// <summary>
    /// The language and framework to target in a project with the given detected ecosystem (see
    /// <see cref="TechInference.Resolve"/>). A specification built without the parser states its
    /// <see cref="Language"/> and <see cref="Framework"/>.
    /// </summary>
    public ResolvedTech ResolveTech(string? projectLanguage, string? projectFramework) =>
        (ReferenceEquals(Tech, TechInference.None) && (Language ?? Framework) is not null
            ? new TechInference
            {
                Language = Language,
                Framework = Framework,
                LanguageStated = Language is not null,
                FrameworkStated = Framework is not null,
                LanguageEvidence = Language is null ? [] : [new TechEvidence(Language, "front-matter", "language: " + Language, 0)],
                FrameworkEvidence = Framework is null ? [] : [new TechEvidence(Framework, "front-matter", "framework: " + Framework, 0)],
            }
            : Tech).Resolve(projectLanguage, projectFramework);

    /// <summary>What a reader would flag: no requirements, placeholders, clarification markers, TODOs, contradictions.</summary>
    public IReadOnlyList<SpecWarning> Warnings { get; init; } = [];

    /// <summary>True when the spec is still an unfilled template (placeholder title, or many placeholders).</summary>
    public bool IsUnfilledTemplate { get; init; }

    /// <summary>Relative file paths the spec mentions (in code spans, links or plain text).</summary>
    public IReadOnlyList<string> ReferencedPaths { get; init; } = [];

    /// <summary>Front-matter keys and values, when the document has YAML front matter.</summary>
    public IReadOnlyDictionary<string, string> FrontMatter { get; init; } = new Dictionary<string, string>();
}
