namespace SpecSynth.Context;

/// <summary>Counts the tokens a text costs with one model. Thread-safe.</summary>
internal interface ITokenCounter
{
    /// <summary>Whether counts are exact (a local tokenizer) or a calibrated estimate (already including its safety margin).</summary>
    bool IsExact { get; }

    /// <summary>The tokens <paramref name="text"/> costs; never an under-count when <see cref="IsExact"/> is false.</summary>
    int Count(string text);
}
