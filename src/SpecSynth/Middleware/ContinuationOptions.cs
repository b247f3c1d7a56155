namespace SpecSynth.Middleware;

/// <summary>Continuing a reply cut at the output-token limit (finish reason <c>Length</c>).</summary>
public sealed record ContinuationOptions
{
    /// <summary>The default user turn asking for the rest.</summary>
    public const string DefaultPrompt = "Continue exactly where you stopped. Do not repeat anything you already wrote and do not add any preamble.";

    /// <summary>Extra requests at most; still cut after them, the reply keeps finish reason <c>Length</c>. Default 3; 0 disables.</summary>
    public int MaxRounds { get; init; } = 3;

    /// <summary>The user turn sent after the partial reply.</summary>
    public string Prompt { get; init; } = DefaultPrompt;

    internal void Validate() => RetryOptions.Check(MaxRounds >= 0, "continuation max_rounds must not be negative");
}
