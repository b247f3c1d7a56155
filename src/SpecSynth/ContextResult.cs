using SpecSynth.Context;

namespace SpecSynth;

/// <summary>The context plan of a spec: the object <c>context --json</c> prints.</summary>
/// <param name="Spec">The spec as given.</param>
/// <param name="Project">The folder whose files give context.</param>
/// <param name="Budget">The tightest budget of the chain.</param>
/// <param name="TemplateTokens">Tokens of the prompt template.</param>
/// <param name="ItemTokens">Tokens of the items.</param>
/// <param name="TotalTokens">The whole prompt against the tightest budget.</param>
/// <param name="Exact">Whether that count is exact.</param>
/// <param name="Items">Every item, its tokens, state and why.</param>
/// <param name="Providers">The fit against every provider of the chain.</param>
/// <param name="CacheBreakpoints">Prompt-cache breakpoints in the prompt.</param>
/// <param name="Messages">The prompt itself (<see cref="ContextRequest.ShowPrompt"/>), or <c>null</c>.</param>
/// <param name="Warning">The planner's warning, if any.</param>
public sealed record ContextResult(string Spec, string Project, ContextBudgetView Budget, int TemplateTokens, int ItemTokens, int TotalTokens,
    bool Exact, IReadOnlyList<ContextItemView> Items, IReadOnlyList<ContextFitView> Providers, int CacheBreakpoints,
    IReadOnlyList<ContextMessageView>? Messages, string? Warning)
{
    /// <summary>Title, language and framework (with evidence) and warnings, as the prompt will get them.</summary>
    public UnderstoodSpec? Understood { get; init; }
}

/// <summary>A provider's prompt budget.</summary>
public sealed record ContextBudgetView(string Provider, string Model, int? ContextWindow, int ReplyReservation, int Margin, int PromptLimit,
    bool ExactCount, int? ConfiguredBudget);

/// <summary>The prompt against one provider's budget.</summary>
public sealed record ContextFitView(ContextBudgetView Budget, int PromptTokens, bool Exact);

/// <summary>One item of the context.</summary>
public sealed record ContextItemView(ContextItemKind Kind, string? Path, int Tokens, ContextItemState State, IReadOnlyList<string> Reasons);

/// <summary>One message of the prompt.</summary>
public sealed record ContextMessageView(string Role, IReadOnlyList<ContextContentView> Contents);

/// <summary>One part of a message.</summary>
public sealed record ContextContentView(string Text, bool CacheBreakpoint);
