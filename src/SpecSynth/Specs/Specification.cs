namespace SpecSynth.Specs;

/// <summary>A parsed specification document. Immutable; built by <c>SpecParser</c>.</summary>
public sealed record Specification
{
    /// <summary>The document title: front-matter <c>title</c>, else the first heading, else the file name.</summary>
    public required string Title { get; init; }

    /// <summary>The full markdown text as read (UTF-8, BOM removed, line endings kept).</summary>
    public required string RawText { get; init; }

    /// <summary>The path it was read from, or <c>null</c> when parsed from a string.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The sections in document order, one per heading.</summary>
    public IReadOnlyList<SpecSection> Sections { get; init; } = [];

    /// <summary>Requirements found under requirement-like headings, FR-/NFR- ids and EARS sentences.</summary>
    public IReadOnlyList<Requirement> Requirements { get; init; } = [];

    /// <summary>Target language hint (lower case, e.g. <c>csharp</c>, <c>python</c>), or <c>null</c>.</summary>
    public string? Language { get; init; }

    /// <summary>Target framework hint (e.g. <c>aspnetcore</c>, <c>fastapi</c>), or <c>null</c>.</summary>
    public string? Framework { get; init; }

    /// <summary>Relative file paths the spec mentions (in code spans, links or plain text).</summary>
    public IReadOnlyList<string> ReferencedPaths { get; init; } = [];

    /// <summary>Front-matter keys and values, when the document has YAML front matter.</summary>
    public IReadOnlyDictionary<string, string> FrontMatter { get; init; } = new Dictionary<string, string>();
}
