using SpecSynth.Context;

namespace SpecSynth.History;

/// <summary>A plain estimate of <c>ceil(chars / 3.5)</c> tokens: conservative for code and English with every
/// current tokenizer. Used for the history budget until the calibrated counters are wired in.</summary>
internal sealed class CharRatioTokenCounter : ITokenCounter
{
    /// <summary>Characters per token.</summary>
    public const double CharsPerToken = 3.5;

    /// <summary>The shared instance.</summary>
    public static CharRatioTokenCounter Instance { get; } = new();

    /// <inheritdoc />
    public bool IsExact => false;

    /// <inheritdoc />
    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return (int)Math.Ceiling(text.Length / CharsPerToken);
    }
}
