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
