using System.Runtime.CompilerServices;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// Exact token counts for OpenAI models with their own byte-pair encoding (o200k_base or cl100k_base), offline. The
/// tokenizer is created on the first <see cref="Count"/>, once per process. The count of a long text is remembered for as
/// long as that string instance lives, so the same prompt counted again (by the context planner, then by the budget
/// check of each attempt) costs a lookup. With a <see cref="TokenCountCache"/> (<see cref="WithCache"/>) every count is
/// also remembered across processes, keyed by the text's hash: a warm run that finds every count there never creates
/// the tokenizer. Thread-safe.
/// </summary>
internal sealed class TiktokenCounter : ITokenCounter
{
    /// <summary>Texts at least this long have their count remembered (shorter ones cost less to count than to remember).</summary>
    private const int RememberedChars = 1024;

    private static readonly ConditionalWeakTable<string, StrongBox<int>> O200kCounts = new(), Cl100kCounts = new();

    private TiktokenCounter(string encoding, TokenCountCache? cache = null)
    {
        Encoding = encoding;
        Cache = cache;
        CounterId = cache is null ? 0 : TokenCountCache.CounterId(encoding);
    }

    /// <summary>The persistent cache the counts go through, or <c>null</c>.</summary>
    public TokenCountCache? Cache { get; }

    /// <summary>This counter's id in <see cref="Cache"/>'s keys (0 without a cache).</summary>
    public ulong CounterId { get; }

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

    /// <summary>The same counter, remembering its counts in <paramref name="cache"/>.</summary>
    public TiktokenCounter WithCache(TokenCountCache cache) => new(Encoding, cache ?? throw new ArgumentNullException(nameof(cache)));

    /// <summary>The count of <paramref name="text"/> from the tokenizer, past every cache.</summary>
    public int CountFresh(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : TiktokenEncodings.Count(Encoding, text);
    }

    /// <inheritdoc />
    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < RememberedChars)
        {
            return text.Length == 0 ? 0 : Cache is null ? TiktokenEncodings.Count(Encoding, text) : Persisted(text);
        }
        // Keyed by the string instance: a string never changes, so its count never does. With a persistent cache, the
        // instances it has seen (so a count remembered in memory is one the cache holds too).
        var counts = Cache?.Instances(CounterId) ?? (Encoding == OpenAIEncodings.O200kBase ? O200kCounts : Cl100kCounts);
        if (counts.TryGetValue(text, out var known))
        {
            return known.Value;
        }
        var count = Cache is null ? TiktokenEncodings.Count(Encoding, text) : Persisted(text);
        counts.AddOrUpdate(text, new StrongBox<int>(count));
        return count;
    }

    private int Persisted(string text)
    {
        var hash = TokenTextHash.Of(text);
        if (Cache!.TryGet(CounterId, hash, out var count))
        {
            return count;
        }
        count = TiktokenEncodings.Count(Encoding, text);
        Cache.Add(CounterId, hash, count);
        return count;
    }
}
