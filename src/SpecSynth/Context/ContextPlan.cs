using SpecSynth.Prompting;

namespace SpecSynth.Context;

/// <summary>
/// What the context planner chose to send, and why: every item it considered (in priority order: the spec, the related
/// files best first, the project structure, the previous implementations) with its tokens, state and reasons, the
/// budget of the tightest provider of the chain, and the prompt itself.
/// </summary>
internal sealed record ContextPlan
{
    /// <summary>Every item considered, in priority order.</summary>
    public required IReadOnlyList<ContextItem> Items { get; init; }

    /// <summary>How the prompt fits each provider of the chain, in chain order.</summary>
    public required IReadOnlyList<ContextFit> Fits { get; init; }

    /// <summary>The tokens of the template around the items (system prompt, headings, output rules), for the tightest provider.</summary>
    public required int TemplateTokens { get; init; }

    /// <summary>The prompt to send, rendered from <see cref="Items"/> (stable prefix first, marked for prompt caching).</summary>
    public required ChatPrompt Prompt { get; init; }

    /// <summary>Said before the request is sent: most of the files planned score as unrelated to the spec; else <c>null</c>.</summary>
    public string? Warning { get; init; }

    /// <summary>The tightest provider's fit: the budget the plan was made for.</summary>
    public ContextFit Tightest => Fits.MinBy(f => f.Budget.PromptLimit)!;

    /// <summary>The tokens of the items sent (as counted one by one).</summary>
    public int ItemTokens => Items.Sum(i => i.Tokens);
}
