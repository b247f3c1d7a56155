using System.Runtime.CompilerServices;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// Exact token counts for OpenAI models with their own byte-pair encoding (o200k_base or cl100k_base), offline. The
/// tokenizer is created on the first <see cref="Count"/>, once per process. The count of a long text is remembered for as
/// long as that string instance lives, so the same prompt counted again (by the context planner, then by the budget
/// check of each attempt) costs a lookup. Thread-safe.
/// </summary>
internal sealed class TiktokenCounter : ITokenCounter
{
    /// <summary>Texts at least this long have their count remembered (shorter ones cost less to count than to remember).</summary>
    private const int RememberedChars = 1024;

    private static readonly ConditionalWeakTable<string, StrongBox<int>> O200kCounts = new(), Cl100kCounts = new();

    private TiktokenCounter(string encoding) => Encoding = encoding;

    /// <summary>The encoding name, <c>o200k_base</c> or <c>cl100k_base</c>.</summary>
    public string Encoding { get; }

    /// <inheritdoc />
    public bool IsExact => true;

    /// <summary>A counter for an OpenAI model, or <c>null</c> when the model is not of a known OpenAI family.</summary>
    public static TiktokenCounter? ForModel(string model) =>
        OpenAIEncodings.ForModel(model) is { } encoding ? new TiktokenCounter(encoding) : null;

    /// <summary>A counter for an encoding by name (<c>o200k_base</c> or <c>cl100k_base</c>).</summary>
    public static TiktokenCounter ForEncoding(string encoding) =>
        encoding is OpenAIEncodings.O200kBase or OpenAIEncodings.Cl100kBase
            ? new TiktokenCounter(encoding)
            : throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "use o200k_base or cl100k_base");

    /// <inheritdoc />
    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < RememberedChars)
        {
            return text.Length == 0 ? 0 : TiktokenEncodings.Count(Encoding, text);
        }
        // Keyed by the string instance: a string never changes, so its count never does.
        var counts = Encoding == OpenAIEncodings.O200kBase ? O200kCounts : Cl100kCounts;
        if (counts.TryGetValue(text, out var known))
        {
            return known.Value;
        }
        var count = TiktokenEncodings.Count(Encoding, text);
        counts.AddOrUpdate(text, new StrongBox<int>(count));
        return count;
    }
}
