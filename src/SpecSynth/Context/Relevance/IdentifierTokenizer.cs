using System.Numerics;
using System.Runtime.CompilerServices;

namespace SpecSynth.Context.Relevance;

/// <summary>
/// The one pass over a file's bytes that both the ranker (<see cref="ContentScanner"/>) and the context index's record
/// scanner make: finds the identifier tokens (<see cref="AsciiText"/>'s classes), splits each into words
/// (<see cref="AsciiText.WordEnd"/>'s rules: a capital after a lower-case letter or digit, the last capital of an
/// acronym followed by a lower-case letter, joiners), hashes each word and the whole token lower-cased as it goes, and
/// reports them to a sink (a struct, so the loop is specialised for it); records the type names declared after a type
/// keyword. Each byte is classified once.
/// </summary>
internal static class IdentifierTokenizer
{
    /// <summary>Walks <paramref name="text"/>'s tokens into <paramref name="sink"/>; returns the number of words (the
    /// document length for BM25). Tokens that start with a digit are skipped whole.</summary>
    /// <param name="text">The file's bytes (UTF-8).</param>
    /// <param name="sink">What receives the words and tokens.</param>
    /// <param name="types">Receives the hashes of the type names declared after a type keyword (<see cref="RecordType"/>).</param>
    // Jitted fully optimised on first use: the cold run spends its time in these loops, and neither ReadyToRun code
    // nor tier-0 code would be as fast before tiering replaced it. (No SearchValues here: its generic search code is
    // not precompiled, and at tier 0 it cost more than this loop.)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Scan<TSink>(ReadOnlySpan<byte> text, ref TSink sink, List<ulong> types)
        where TSink : struct, ITokenSink
    {
        var words = 0;
        var pendingType = -1;
        var i = 0;
        var classes = AsciiText.Classes;
        while (i < text.Length)
        {
            var first = classes[text[i]];
            if (first == 0)
            {
                i++;
                continue;
            }
            var start = i;
            var typeKeywordEnd = pendingType;
            pendingType = -1;
            if ((first & AsciiText.Digit) == 0)
            {
                i = Token(text, start, ref sink, ref pendingType, ref words);
            }
            else
            {
                while (i < text.Length && classes[text[i]] != 0)
                {
                    i++;
                }
            }
            if (typeKeywordEnd >= 0)
            {
                RecordType(text, typeKeywordEnd, start, i, types);
            }
        }
        return words;
    }

    /// <summary>
    /// As <see cref="Scan{TSink}"/> (the same words, tokens, counts and type names, in the same order), found from
    /// <paramref name="masks"/>' bits instead of a byte at a time, and with each word and compound hashed by
    /// <see cref="AsciiText.WordKey(ReadOnlySpan{byte}, int, int)"/> (the ranker's key) instead of FNV-1a; a token's
    /// compound is computed only when it has several words (0 otherwise).
    /// </summary>
    /// <param name="text">The file's bytes (UTF-8).</param>
    /// <param name="masks">Scratch bit masks (one per worker).</param>
    /// <param name="sink">What receives the words and tokens.</param>
    /// <param name="types">Receives the hashes of the type names declared after a type keyword.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ScanKeyed<TSink>(ReadOnlySpan<byte> text, TokenMasks masks, ref TSink sink, List<ulong> types)
        where TSink : struct, ITokenSink
    {
        masks.Build(text);
        var ident = masks.Ident;
        var starts = masks.Starts;
        var breaks = masks.Breaks;
        var classes = AsciiText.Classes;
        var blocks = masks.Blocks;
        var words = 0;
        var pendingType = -1;
        var carry = 0UL;
        for (var b = 0; b < blocks; b++)
        {
            var block = ident[b];
            var tokenStarts = block & ~((block << 1) | carry);
            carry = block >> 63;
            while (tokenStarts != 0)
            {
                var start = (b << 6) + BitOperations.TrailingZeroCount(tokenStarts);
                tokenStarts &= tokenStarts - 1;
                var end = TokenMasks.NextClear(ident, start + 1);
                var typeKeywordEnd = pendingType;
                pendingType = -1;
                if ((classes[text[start]] & AsciiText.Digit) == 0)
                {
                    var count = 0;
                    var letters = 0;
                    var last = 0;
                    var s = TokenMasks.NextSetBefore(starts, start, end);
                    while (s < end)
                    {
                        var e = TokenMasks.NextSet(breaks, s + 1);
                        var length = e - s;
                        count++;
                        letters += length;
                        last = length;
                        if (length >= 2)
                        {
                            sink.Word(AsciiText.WordKey(text, s, length), text, s, e);
                        }
                        s = e < end ? TokenMasks.NextSetBefore(starts, e, end) : end;
                    }
                    words += count;
                    var compound = count > 1 ? Compound(text, start, end, letters) : 0;
                    if (sink.Token(text, start, end, count, letters, last, compound))
                    {
                        pendingType = end;
                    }
                }
                if (typeKeywordEnd >= 0)
                {
                    RecordType(text, typeKeywordEnd, start, end, types);
                }
            }
        }
        return words;
    }

    /// <summary>The key of a token's letters without its joiners.</summary>
    private static ulong Compound(ReadOnlySpan<byte> text, int start, int end, int letters)
    {
        if (letters == end - start)
        {
            return AsciiText.WordKey(text, start, letters);
        }
        var key = new AsciiText.KeyBuilder();
        foreach (var b in text[start..end])
        {
            if (AsciiText.ClassOf(b) != AsciiText.Joiner)
            {
                key.Add(b);
            }
        }
        return key.Finish();
    }

    /// <summary>Reads the identifier token starting at <paramref name="start"/> (not a digit) in one pass, reporting its
    /// words and then itself to <paramref name="sink"/>; returns its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Token<TSink>(ReadOnlySpan<byte> text, int start, ref TSink sink, ref int pendingType, ref int words)
        where TSink : struct, ITokenSink
    {
        var classes = AsciiText.Classes;
        var lowers = AsciiText.Lowers;
        var compound = AsciiText.HashSeed;
        var word = AsciiText.HashSeed;
        var wordStart = -1;
        var count = 0;
        var letters = 0;
        var lastWordLength = 0;
        var previous = (byte)0;
        var k = start;
        for (; k < text.Length; k++)
        {
            var b = text[k];
            var current = classes[b];
            if (current == 0)
            {
                break;
            }
            if (current == AsciiText.Joiner)
            {
                if (wordStart >= 0)
                {
                    count++;
                    lastWordLength = k - wordStart;
                    letters += lastWordLength;
                    if (lastWordLength >= 2)
                    {
                        sink.Word(word, text, wordStart, k);
                    }
                    wordStart = -1;
                }
                previous = current;
                continue;
            }
            if (wordStart >= 0 && current == AsciiText.Upper
                && (previous != AsciiText.Upper || (k + 1 < text.Length && classes[text[k + 1]] == AsciiText.Lower)))
            {
                count++;
                lastWordLength = k - wordStart;
                letters += lastWordLength;
                if (lastWordLength >= 2)
                {
                    sink.Word(word, text, wordStart, k);
                }
                wordStart = -1;
            }
            if (wordStart < 0)
            {
                wordStart = k;
                word = AsciiText.HashSeed;
            }
            var lower = lowers[b];
            word = AsciiText.Hash(word, lower);
            compound = AsciiText.Hash(compound, lower);
            previous = current;
        }
        var end = k;
        if (wordStart >= 0)
        {
            count++;
            lastWordLength = end - wordStart;
            letters += lastWordLength;
            if (lastWordLength >= 2)
            {
                sink.Word(word, text, wordStart, end);
            }
        }
        words += count;
        if (sink.Token(text, start, end, count, letters, lastWordLength, compound))
        {
            pendingType = end;
        }
        return end;
    }

    /// <summary>A type name right after <c>class</c>/<c>struct</c>/... on the same line, separated by blanks only, that
    /// looks like a type (capitalised, or with an underscore as C structs are) and is not a forward declaration
    /// (<c>class Foo;</c>). Prose in comments ("a class that ...") mostly fails these tests.</summary>
    internal static void RecordType(ReadOnlySpan<byte> text, int keywordEnd, int start, int end, List<ulong> types)
    {
        var gap = text[keywordEnd..start];
        var name = text[start..end];
        if (gap.IsEmpty || gap.ContainsAnyExcept(" \t"u8) || name.Length < 3 || types.Count >= 256
            || !(AsciiText.ClassOf(name[0]) == AsciiText.Upper || name.Contains((byte)'_')))
        {
            return;
        }
        var after = text[end..].TrimStart(" \t"u8);
        if (!after.IsEmpty && after[0] == (byte)';')
        {
            return;
        }
        types.Add(ContentScanner.TypeHash(name));
    }
}
