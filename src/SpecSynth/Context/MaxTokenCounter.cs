namespace SpecSynth.Context;

/// <summary>Counts with several counters and returns the largest count: a text that fits this count fits every model
/// of a chain. Exact only when all of them are.</summary>
internal sealed class MaxTokenCounter(IReadOnlyList<ITokenCounter> counters) : ITokenCounter
{
    /// <summary>One counter as itself, several as their maximum.</summary>
    public static ITokenCounter Of(IReadOnlyList<ITokenCounter> counters) =>
        counters.Count == 1 ? counters[0] : new MaxTokenCounter(counters);

    /// <summary>The counters whose largest count is taken.</summary>
    public IReadOnlyList<ITokenCounter> Counters { get; } = counters;

    /// <inheritdoc />
    public bool IsExact => Counters.All(c => c.IsExact);

    /// <inheritdoc />
    public int Count(string text) => Counters.Max(c => c.Count(text));
}
