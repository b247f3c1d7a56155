using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// The OpenAI byte-pair encodings, created once per process and shared (thread-safe). o200k_base counts go through
/// <see cref="O200kEncoding"/> (the same ranks and split, only the table counting needs: a fraction of the library's
/// load); cl100k_base through Microsoft.ML.Tokenizers' tokenizer (creation parses a 3-4 MB vocabulary). Only this class
/// and <see cref="O200kEncoding"/> touch Microsoft.ML.Tokenizers, so that assembly is loaded on the first exact count
/// and never by commands that count nothing.
/// </summary>
internal static class TiktokenEncodings
{
    /// <summary>The tokenizer library and version the counts come from (part of <see cref="TokenCountCache"/>'s keys). A test
    /// checks it against the loaded assembly: change it with the package's version.</summary>
    public const string LibraryVersion = "Microsoft.ML.Tokenizers 3.0.0";

    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> Cache = new(StringComparer.Ordinal);
    private static readonly Lazy<O200kEncoding> O200k = new(O200kEncoding.Load);

    /// <summary>The shared tokenizer for <paramref name="encoding"/> (<see cref="OpenAIEncodings.O200kBase"/> or <see cref="OpenAIEncodings.Cl100kBase"/>).</summary>
    public static Tokenizer Get(string encoding)
    {
        if (encoding is not (OpenAIEncodings.O200kBase or OpenAIEncodings.Cl100kBase))
        {
            throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "use o200k_base or cl100k_base");
        }
        return Cache.GetOrAdd(encoding, e => new Lazy<Tokenizer>(() => TiktokenTokenizer.CreateForEncoding(e))).Value;
    }

    /// <summary>The shared o200k_base counter.</summary>
    public static O200kEncoding O200kBase => O200k.Value;

    /// <summary>The exact token count of <paramref name="text"/> in <paramref name="encoding"/> (the tokenizer's
    /// <c>CountTokens</c>).</summary>
    public static int Count(string encoding, string text) =>
        encoding == OpenAIEncodings.O200kBase ? O200k.Value.Count(text) : Get(encoding).CountTokens(text);

    /// <summary>Whether the counter for <paramref name="encoding"/> was created in this process (for tests: a warm plan creates none).</summary>
    public static bool IsLoaded(string encoding) => encoding == OpenAIEncodings.O200kBase
        ? O200k.IsValueCreated
        : Cache.TryGetValue(encoding, out var lazy) && lazy.IsValueCreated;
}
