namespace SpecSynth.Context.Tokens;

/// <summary>
/// The o200k pre-token split (<see cref="O200kEncoding.Pattern"/>) decided by hand where every character it depends on is
/// ASCII, which is most of any prompt or source file: the regex engine's per-match cost was most of an exact count
/// (issue 19: the budget check counts every new prompt). For ASCII the pattern's alternatives, in order, come down to:
/// <list type="number">
/// <item>an optional prefix (not <c>\r</c>, <c>\n</c>, a letter or a digit) then letters: an upper-case run, then a
/// lower-case run, then an optional contraction (<c>'s 't 're 've 'm 'll 'd</c>, any case);</item>
/// <item>one to three digits;</item>
/// <item>an optional space, a run of other characters (not white space, letters or digits), then <c>\r</c>, <c>\n</c>
/// and <c>/</c>;</item>
/// <item>white space: up to its last <c>\r</c>/<c>\n</c> when it has one; else all of it at the end of the text; else all
/// but its last character; else (one character) that character.</item>
/// </list>
/// Whenever a non-ASCII character could change the decision (it ends a run, or is the character looked at next),
/// <see cref="PieceLength"/> returns 0 and the caller asks the regex. Tested against the regex on random ASCII texts and
/// through <see cref="O200kEncoding"/>'s comparison with the library.
/// </summary>
internal static class O200kAsciiSplit
{
    private const byte Upper = 1, Lower = 2, Digit = 3, Newline = 4, Space = 5, Other = 6, NonAscii = 7;

    private static readonly byte[] Classes = BuildClasses();

    /// <summary>The length of the piece of <paramref name="text"/> that starts at <paramref name="at"/> (where the previous
    /// piece ended, or 0), or 0 when a non-ASCII character could decide it.</summary>
    public static int PieceLength(ReadOnlySpan<char> text, int at)
    {
        var first = Class(text, at);
        var next = Class(text, at + 1);
        switch (first)
        {
            case Upper or Lower:
                return Letters(text, at, at);
            case Digit:
                return Digits(text, at);
            case Space or Other:
                if (next is Upper or Lower)
                {
                    return Letters(text, at, at + 1);
                }
                if (next == NonAscii)
                {
                    return 0;
                }
                if (first == Other)
                {
                    return Punctuation(text, at, at);
                }
                if (text[at] == ' ' && next == Other)
                {
                    return Punctuation(text, at, at + 1);
                }
                return WhiteSpace(text, at);
            case Newline:
                return WhiteSpace(text, at);
            default:
                return 0;
        }
    }

    /// <summary>Letters from <paramref name="from"/> (after the prefix, if any), then a contraction.</summary>
    private static int Letters(ReadOnlySpan<char> text, int at, int from)
    {
        var end = from;
        while (Class(text, end) == Upper)
        {
            end++;
        }
        while (Class(text, end) == Lower)
        {
            end++;
        }
        if (Class(text, end) == NonAscii)
        {
            return 0;
        }
        if (end < text.Length && text[end] == '\'')
        {
            var contraction = Contraction(text, end + 1);
            if (contraction < 0)
            {
                return 0;
            }
            end += contraction;
        }
        return end - at;
    }

    /// <summary>How many characters a contraction whose apostrophe precedes <paramref name="at"/> takes (0: none; -1: a
    /// non-ASCII character could be one of its letters under case folding).</summary>
    private static int Contraction(ReadOnlySpan<char> text, int at)
    {
        if (at >= text.Length)
        {
            return 0;
        }
        if (text[at] > 0x7F)
        {
            return -1;
        }
        var second = at + 1 < text.Length ? text[at + 1] : '\0';
        switch (text[at] | 0x20)
        {
            case 's' or 't' or 'm' or 'd':
                return 2;
            case 'r' or 'v' or 'l':
                if (second > 0x7F)
                {
                    return -1;
                }
                return (second | 0x20) == ((text[at] | 0x20) == 'l' ? 'l' : 'e') ? 3 : 0;
            default:
                return 0;
        }
    }

    private static int Digits(ReadOnlySpan<char> text, int at)
    {
        var end = at;
        while (end - at < 3 && Class(text, end) == Digit)
        {
            end++;
        }
        return end - at < 3 && Class(text, end) == NonAscii ? 0 : end - at;
    }

    /// <summary>Other characters from <paramref name="from"/> (after the space, if any), then newlines and slashes.</summary>
    private static int Punctuation(ReadOnlySpan<char> text, int at, int from)
    {
        var end = from;
        while (Class(text, end) == Other)
        {
            end++;
        }
        if (Class(text, end) == NonAscii)
        {
            return 0;
        }
        // [\r\n/]*: a slash after a newline is taken too.
        while (Class(text, end) == Newline || (end < text.Length && text[end] == '/'))
        {
            end++;
        }
        return end - at;
    }

    private static int WhiteSpace(ReadOnlySpan<char> text, int at)
    {
        var end = at;
        var lastNewline = -1;
        while (Class(text, end) is Space or Newline)
        {
            if (text[end] is '\r' or '\n')
            {
                lastNewline = end;
            }
            end++;
        }
        if (Class(text, end) == NonAscii)
        {
            return 0;
        }
        if (lastNewline >= 0)
        {
            return lastNewline + 1 - at;
        }
        if (end == text.Length || end - at == 1)
        {
            return end - at;
        }
        return end - 1 - at;
    }

    /// <summary>The class of the character at <paramref name="at"/>; past the end, none of them (0).</summary>
    private static byte Class(ReadOnlySpan<char> text, int at) =>
        at >= text.Length ? (byte)0 : text[at] > 0x7F ? NonAscii : Classes[text[at]];

    private static byte[] BuildClasses()
    {
        var classes = new byte[128];
        for (var c = 0; c < 128; c++)
        {
            classes[c] = c switch
            {
                >= 'A' and <= 'Z' => Upper,
                >= 'a' and <= 'z' => Lower,
                >= '0' and <= '9' => Digit,
                '\r' or '\n' => Newline,
                '\t' or '\v' or '\f' or ' ' => Space,
                _ => Other,
            };
        }
        return classes;
    }
}
