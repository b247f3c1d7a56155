namespace SpecSynth.History;

/// <summary>What <see cref="HistoryCompactor.FitAsync"/> did.</summary>
/// <param name="Conversation">The conversation as it is now (compacted or not).</param>
/// <param name="Compacted">Whether older turns were replaced by a summary.</param>
/// <param name="TokensBefore">What the turns cost before.</param>
/// <param name="TokensAfter">What they cost now (at most the budget).</param>
/// <param name="TurnsSummarised">How many turns the summary replaced.</param>
internal sealed record CompactionResult(Conversation Conversation, bool Compacted, int TokensBefore, int TokensAfter, int TurnsSummarised);
