using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    /// As <see cref="Scan{TSink}"/> for a sink that only cares about some words (the ranker's: the spec's terms and the
    /// scanner's keywords), found from <paramref name="masks"/>' bits instead of a byte at a time. Returns the same word
    /// count. Reports only the words of two letters or more whose first two bytes, with bit 5 set (lower case),
    /// are a pair in <paramref name="pairs"/>, each hashed by <see cref="AsciiText.WordKey(ReadOnlySpan{byte}, int, int)"/>
    /// instead of FNV-1a; reports a token (after its reported words) only when it holds such a word or its first word
    /// starts with such a pair or is one letter followed by a joiner (so every token whose compound starts with a pair
    /// is reported), with its compound only when it has several words (0 otherwise). Tokens with no word are not
    /// reported. A type name after a type keyword (<see cref="ITokenSink.Token"/> answered <c>true</c>) is recorded as
    /// <see cref="Scan{TSink}"/> records it, in the same order.
    /// </summary>
    /// <param name="text">The file's bytes (UTF-8).</param>
    /// <param name="masks">Scratch bit masks (one per worker).</param>
    /// <param name="pairs">65,536 bits, one per little-endian byte pair (<see cref="TermTable.Pairs"/>); all set: every
    /// word and every token with a word is reported.</param>
    /// <param name="sink">What receives the words and tokens.</param>
    /// <param name="types">Receives the hashes of the type names declared after a type keyword.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ScanKeyed<TSink>(ReadOnlySpan<byte> text, TokenMasks masks, ReadOnlySpan<ulong> pairs, ref TSink sink, List<ulong> types)
        where TSink : struct, ITokenSink
    {
        masks.Build(text);
        var ident = masks.Ident;
        var starts = masks.Starts;
        var digits = masks.Digit;
        var blocks = masks.Blocks;
        var last = text.Length - 1;
        ref var at = ref MemoryMarshal.GetReference(text);
        var words = 0;
        var previousIdent = 0UL;
        var digitCarry = 0UL;
        var done = 0; // tokens before this position have been reported
        for (var b = 0; b < blocks; b++)
        {
            // The bytes of tokens that start with a digit: adding each such token's first bit to the identifier bits
            // carries through the token (and out of the block when it goes on).
            var block = ident[b];
            var tokenStarts = block & ~((block << 1) | previousIdent);
            previousIdent = block >> 63;
            var digitStarts = tokenStarts & digits[b];
            var sum = block + digitStarts;
            var carry = sum < block ? 1UL : 0UL;
            var withCarry = sum + digitCarry;
            carry |= withCarry < sum ? 1UL : 0UL;
            var inDigitTokens = (withCarry ^ block) & block;
            digitCarry = carry;

            var wordStarts = starts[b] & ~inDigitTokens;
            words += BitOperations.PopCount(wordStarts);
            var wanted = 0UL;
            var origin = b << 6;
            for (var w = wordStarts; w != 0; w &= w - 1)
            {
                var bit = BitOperations.TrailingZeroCount(w);
                var position = origin + bit;
                if (position < last)
                {
                    var pair = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref at, position)) | 0x2020;
                    wanted |= ((pairs[pair >> 6] >> pair) & 1) << bit;
                }
            }
            while (wanted != 0)
            {
                var position = origin + BitOperations.TrailingZeroCount(wanted);
                wanted &= wanted - 1;
                if (position < done)
                {
                    continue;
                }
                var start = TokenMasks.PreviousClear(ident, position) + 1;
                var end = TokenMasks.NextClear(ident, position + 1);
                done = end;
                if (ReportToken(text, start, end, masks, pairs, ref sink))
                {
                    var next = TokenMasks.NextSetBefore(ident, end, text.Length);
                    if (next < text.Length)
                    {
                        RecordType(text, end, next, TokenMasks.NextClear(ident, next + 1), types);
                    }
                }
            }
        }
        return words;
    }

    /// <summary>The words of the token <c>text[start..end)</c> (not starting with a digit) whose pair is in
    /// <paramref name="pairs"/>, then the token; whether it is a type keyword.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ReportToken<TSink>(ReadOnlySpan<byte> text, int start, int end, TokenMasks masks, ReadOnlySpan<ulong> pairs, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        var starts = masks.Starts;
        var breaks = masks.Breaks;
        var count = 0;
        var letters = 0;
        var lastLength = 0;
        var s = TokenMasks.NextSetBefore(starts, start, end);
        while (s < end)
        {
            var e = TokenMasks.NextSet(breaks, s + 1);
            var length = e - s;
            count++;
            letters += length;
            lastLength = length;
            if (length >= 2)
            {
                var pair = text[s] | (text[s + 1] << 8) | 0x2020;
                if (((pairs[pair >> 6] >> pair) & 1) != 0)
                {
                    sink.Word(AsciiText.WordKey(text, s, length), text, s, e);
                }
            }
            s = e < end ? TokenMasks.NextSetBefore(starts, e, end) : end;
        }
        return sink.Token(text, start, end, count, letters, lastLength, count > 1 ? Compound(text, start, end, letters) : 0);
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

    /// <summary>Closes the word from <paramref name="wordStart"/> to <paramref name="end"/> of a token: counts it, adds
    /// its letters, and reports it to <paramref name="sink"/> when it has two or more.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CloseWord<TSink>(ReadOnlySpan<byte> text, ulong word, int wordStart, int end, ref TSink sink,
        ref int count, ref int letters, ref int lastWordLength)
        where TSink : struct, ITokenSink
    {
        count++;
        lastWordLength = end - wordStart;
        letters += lastWordLength;
        if (lastWordLength >= 2)
        {
            sink.Word(word, text, wordStart, end);
        }
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
                    CloseWord(text, word, wordStart, k, ref sink, ref count, ref letters, ref lastWordLength);
                    wordStart = -1;
                }
                previous = current;
                continue;
            }
            if (wordStart >= 0 && current == AsciiText.Upper
                && (previous != AsciiText.Upper || (k + 1 < text.Length && classes[text[k + 1]] == AsciiText.Lower)))
            {
                CloseWord(text, word, wordStart, k, ref sink, ref count, ref letters, ref lastWordLength);
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
            CloseWord(text, word, wordStart, end, ref sink, ref count, ref letters, ref lastWordLength);
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
