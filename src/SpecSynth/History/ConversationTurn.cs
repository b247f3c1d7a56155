namespace SpecSynth.History;

/// <summary>One turn of a stored conversation. Text is stored with secrets redacted.</summary>
/// <param name="Role">Who said it.</param>
/// <param name="Text">What was said (for a summary turn: the summary of the turns it replaced).</param>
public sealed record ConversationTurn(TurnRole Role, string Text)
{
    /// <summary>The row id (0 for a turn not stored yet).</summary>
    public long Id { get; init; }

    /// <summary>The position in the conversation, from 1; a summary takes the place of the first turn it replaced.</summary>
    public int Seq { get; init; }

    /// <summary>When the turn was stored.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>The provider that answered (assistant turns), or <c>null</c>.</summary>
    public string? Provider { get; init; }

    /// <summary>The model that answered (assistant turns), or <c>null</c>.</summary>
    public string? Model { get; init; }

    /// <summary>Input tokens the request cost (assistant turns).</summary>
    public long InputTokens { get; init; }

    /// <summary>Output tokens of the reply (assistant turns).</summary>
    public long OutputTokens { get; init; }

    /// <summary>The files the turn wrote, relative to the conversation's output folder.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Whether this turn is a model-written summary that replaced older turns (compaction).</summary>
    public bool IsSummary { get; init; }
}
