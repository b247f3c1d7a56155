namespace SpecSynth.Cli.Commands;

/// <summary>The history flags of <c>generate</c>: <c>--continue "instruction"</c> and <c>--history-budget</c>.</summary>
/// <param name="Instruction">The instruction that continues the spec's latest conversation, or <c>null</c> to start a new one.</param>
/// <param name="BudgetTokens">The token budget of the earlier turns, or <c>null</c> for a quarter of the model's context
/// window (at most 32,000).</param>
internal sealed record HistorySettings(string? Instruction, int? BudgetTokens)
{
    public static HistorySettings None { get; } = new(null, null);
}
