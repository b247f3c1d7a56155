namespace SpecSynth.Context;

/// <summary>The token budget of one provider of the chain: what the prompt may take, and how it is derived.</summary>
/// <param name="Provider">The provider id.</param>
/// <param name="Model">The model id.</param>
/// <param name="ContextWindow">The model's context window in tokens, or <c>null</c> when the budget was given (<c>--budget</c>).</param>
/// <param name="ReplyReservation">Tokens kept free for the reply (the provider's <c>max_tokens</c>, at most half the window).</param>
/// <param name="Margin">Tokens kept free for what no count sees exactly (1 % of the window, at least 64).</param>
/// <param name="PromptLimit">The tokens the whole prompt may take: window − reply − margin, or the given budget.</param>
/// <param name="ExactCount">Whether prompts are counted exactly for this model (a local tokenizer or the provider's endpoint).</param>
internal sealed record ContextBudget(string Provider, string Model, int? ContextWindow, int ReplyReservation, int Margin, int PromptLimit,
    bool ExactCount)
{
    /// <summary>The budget of a model with <paramref name="contextWindow"/> tokens and a reply cap of <paramref name="maxOutputTokens"/>.</summary>
    public static ContextBudget ForWindow(string provider, string model, int contextWindow, int maxOutputTokens, bool exactCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextWindow);
        var reply = Math.Clamp(maxOutputTokens, 0, contextWindow / 2);
        var margin = Math.Max(64, contextWindow / 100);
        return new ContextBudget(provider, model, contextWindow, reply, margin, Math.Max(0, contextWindow - reply - margin), exactCount);
    }

    /// <summary>The <c>[context] budget</c> that lowered <see cref="PromptLimit"/> below window − reply − margin, or <c>null</c>.</summary>
    public int? ConfiguredBudget { get; init; }

    /// <summary>This budget lowered to <paramref name="cap"/> tokens (<c>[context] budget</c>) when that is less; else itself.</summary>
    public ContextBudget CappedAt(int? cap) => cap is { } c && c < PromptLimit ? this with { PromptLimit = c, ConfiguredBudget = c } : this;

    /// <summary>A budget given directly (<c>--budget N</c>): the whole prompt may take <paramref name="promptLimit"/> tokens.</summary>
    public static ContextBudget Given(string provider, string model, int promptLimit, bool exactCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(promptLimit);
        return new ContextBudget(provider, model, null, 0, 0, promptLimit, exactCount);
    }
}
