namespace SpecSynth.Providers;

/// <summary>Request parameters a model may refuse with a 400; a set of flags.</summary>
[Flags]
internal enum RejectedParameter
{
    None = 0,
    Temperature = 1,
    TopP = 2,
    TopK = 4,

    /// <summary>The output cap (<c>max_tokens</c> / <c>max_completion_tokens</c>); never for Anthropic, where it is required.</summary>
    MaxOutputTokens = 8,
    StopSequences = 16,
    FrequencyPenalty = 32,
    PresencePenalty = 64,
    Seed = 128,

    /// <summary>A conversation ending with an assistant turn (assistant prefill).</summary>
    Prefill = 256,
}
