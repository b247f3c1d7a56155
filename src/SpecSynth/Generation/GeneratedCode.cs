using SpecSynth.Parsing;
using SpecSynth.Prompting;

namespace SpecSynth.Generation;

/// <summary>The result of <see cref="ICodeGenerator.GenerateCodeAsync"/>.</summary>
internal sealed record GeneratedCode
{
    /// <summary>The files to write, paths already confined to the output folder.</summary>
    public required IReadOnlyList<GeneratedFile> Files { get; init; }

    /// <summary>The model's prose outside the code blocks.</summary>
    public string Explanation { get; init; } = "";

    /// <summary>Confidence in [0, 1], computed from evidence (see <see cref="ConfidenceEvidence"/>).</summary>
    public double Confidence { get; init; }

    /// <summary>The evidence the confidence was computed from, one short line each.</summary>
    public IReadOnlyList<string> ConfidenceEvidence { get; init; } = [];

    /// <summary>Tokens used, as the provider reported them.</summary>
    public TokenUsage TokensUsed { get; init; } = TokenUsage.Zero;

    /// <summary>The provider that answered (e.g. <c>mock</c>, <c>claude</c>).</summary>
    public string Provider { get; init; } = "";

    /// <summary>"provider: reason" for each provider of a fallback chain skipped before the one that answered.</summary>
    public IReadOnlyList<string> SkippedProviders { get; init; } = [];

    /// <summary>The model that answered.</summary>
    public string Model { get; init; } = "";

    /// <summary>Why the model stopped (<c>stop</c>, <c>length</c>, <c>content_filter</c>, ...).</summary>
    public string StopReason { get; init; } = "";

    /// <summary>What the response parser skipped or doubted (blocks without a path, duplicate paths).</summary>
    public IReadOnlyList<string> ParserWarnings { get; init; } = [];

    /// <summary>The prompt that produced this reply (repair rounds continue its conversation), or <c>null</c>.</summary>
    public ChatPrompt? Prompt { get; init; }

    /// <summary>The context plan the prompt was rendered from (what was sent, its tokens and why), or <c>null</c>.</summary>
    public SpecSynth.Context.ContextPlan? ContextPlan { get; init; }

    /// <summary>The raw reply text.</summary>
    public string RawResponse { get; init; } = "";

    /// <summary>Whether the reply came from the response cache (no provider request, no cost).</summary>
    public bool CacheHit { get; init; }

    /// <summary>Files of the reply that could not be used (edits that did not apply, whole files that elide code): never
    /// written; the repair round asks for them again.</summary>
    public IReadOnlyList<Edits.EditFailure> EditFailures { get; init; } = [];

    /// <summary>How each edited file applied (exact or fuzzy), by path.</summary>
    public IReadOnlyDictionary<string, Edits.EditOutcome> EditOutcomes { get; init; } = new Dictionary<string, Edits.EditOutcome>(StringComparer.Ordinal);

    /// <summary>The number of edit blocks (SEARCH/REPLACE blocks, diff hunks) the reply sent.</summary>
    public int EditBlocks { get; init; }

    /// <summary>What the reply's edits were applied against (repair rounds apply theirs the same way), or <c>null</c>.</summary>
    public Edits.EditContext? EditContext { get; init; }
}
