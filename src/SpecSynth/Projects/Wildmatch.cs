namespace SpecSynth.Projects;

/// <summary>
/// Git's wildmatch with <c>WM_PATHNAME</c>, case-sensitive: what git uses to match an ignore rule. <c>*</c> and
/// <c>?</c> never match <c>/</c>; <c>**</c> as a whole segment matches any number of segments; bracket expressions
/// take ranges, <c>!</c>/<c>^</c>, backslash escapes and POSIX classes (<c>[[:digit:]]</c>); a malformed pattern (an
/// unclosed bracket, a trailing backslash, an unknown class) matches nothing. Runs in time polynomial in the lengths
/// (a star stops retrying once a later <c>**</c> has been tried, as in git), with no allocation.
/// </summary>
internal static class Wildmatch
{
    private const int Match = 0;
    private const int NoMatch = 1;
    private const int AbortAll = -1;
    private const int AbortToStarStar = -2;

    /// <summary>Whether <paramref name="pattern"/> matches all of <paramref name="text"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text) => Run(pattern, 0, text, 0) == Match;

    private static int Run(ReadOnlySpan<char> pattern, int p, ReadOnlySpan<char> text, int t)
    {
        for (; p < pattern.Length; p++, t++)
        {
            var pc = pattern[p];
            if (t >= text.Length && pc != '*')
            {
                return AbortAll;
            }
            var tc = t < text.Length ? text[t] : '\0';
            switch (pc)
            {
                case '\\':
                    // The next character literally; a trailing backslash matches nothing.
                    if (++p >= pattern.Length || tc != pattern[p])
                    {
                        return NoMatch;
                    }
                    continue;
                case '?':
                    if (tc == '/')
                    {
                        return NoMatch;
                    }
                    continue;
                case '*':
                    {
                        var star = p;
                        bool matchSlash;
                        if (++p < pattern.Length && pattern[p] == '*')
                        {
                            while (++p < pattern.Length && pattern[p] == '*')
                            {
                            }
                            var segmentStart = star == 0 || pattern[star - 1] == '/';
                            var segmentEnd = p == pattern.Length || pattern[p] == '/'
                                || (pattern[p] == '\\' && p + 1 < pattern.Length && pattern[p + 1] == '/');
                            if (segmentStart && segmentEnd)
                            {
                                // "a/**/b": first try "**/" as nothing at all, so it also matches "a/b".
                                if (p < pattern.Length && pattern[p] == '/' && Run(pattern, p + 1, text, t) == Match)
                                {
                                    return Match;
                                }
                                matchSlash = true;
                            }
                            else
                            {
                                matchSlash = false;
                            }
                        }
                        else
                        {
                            matchSlash = false;
                        }
                        if (p == pattern.Length)
                        {
                            // A trailing "**" matches everything; a trailing "*" only what has no more slashes.
                            return matchSlash || text[t..].IndexOf('/') < 0 ? Match : NoMatch;
                        }
                        if (!matchSlash && pattern[p] == '/')
                        {
                            // "*/": the rest of this segment, then the slash (consumed by the loop).
                            var slash = text[t..].IndexOf('/');
                            if (slash < 0)
                            {
                                return NoMatch;
                            }
                            t += slash;
                            break;
                        }
                        while (true)
                        {
                            if (t >= text.Length)
                            {
                                break;
                            }
                            var matched = Run(pattern, p, text, t);
                            if (matched != NoMatch)
                            {
                                if (!matchSlash || matched != AbortToStarStar)
                                {
                                    return matched;
                                }
                            }
                            else if (!matchSlash && text[t] == '/')
                            {
                                return AbortToStarStar;
                            }
                            t++;
                        }
                        return AbortAll;
                    }
                case '[':
                    {
                        var result = Bracket(pattern, ref p, tc);
                        if (result != Match)
                        {
                            return result;
                        }
                        continue;
                    }
                default:
                    if (tc != pc)
                    {
                        return NoMatch;
                    }
                    continue;
            }
        }
        return t < text.Length ? NoMatch : Match;
    }

    /// <summary>Matches <paramref name="tc"/> against the bracket expression opening at <paramref name="p"/>, leaving
    /// <paramref name="p"/> on its closing <c>]</c>.</summary>
    private static int Bracket(ReadOnlySpan<char> pattern, ref int p, char tc)
    {
        var pc = ++p < pattern.Length ? pattern[p] : '\0';
        var negated = pc is '!' or '^';
        if (negated)
        {
            pc = ++p < pattern.Length ? pattern[p] : '\0';
        }
        var previous = '\0';
        var matched = false;
        do
        {
            if (pc == '\0')
            {
                return AbortAll;
            }
            if (pc == '\\')
            {
                pc = ++p < pattern.Length ? pattern[p] : '\0';
                if (pc == '\0')
                {
                    return AbortAll;
                }
                matched |= tc == pc;
            }
            else if (pc == '-' && previous != '\0' && p + 1 < pattern.Length && pattern[p + 1] != ']')
            {
                pc = pattern[++p];
                if (pc == '\\')
                {
                    pc = ++p < pattern.Length ? pattern[p] : '\0';
                    if (pc == '\0')
                    {
                        return AbortAll;
                    }
                }
                matched |= tc <= pc && tc >= previous;
                pc = '\0'; // a range cannot start another one
            }
            else if (pc == '[' && p + 1 < pattern.Length && pattern[p + 1] == ':')
            {
                var start = p + 2;
                var end = start;
                while (end < pattern.Length && pattern[end] != ']')
                {
                    end++;
                }
                if (end >= pattern.Length)
                {
                    return AbortAll;
                }
                if (end - start - 1 < 0 || pattern[end - 1] != ':')
                {
                    // No ":]": the "[" is an ordinary member.
                    matched |= tc == '[';
                }
                else
                {
                    if (Class(pattern[start..(end - 1)], tc) is not { } inClass)
                    {
                        return AbortAll;
                    }
                    matched |= inClass;
                    p = end;
                    pc = '\0';
                }
            }
            else
            {
                matched |= tc == pc;
            }
            previous = pc;
            pc = ++p < pattern.Length ? pattern[p] : '\0';
        }
        while (pc != ']');
        return matched == negated || tc == '/' ? NoMatch : Match;
    }

    /// <summary>Whether <paramref name="c"/> is in the POSIX class <paramref name="name"/>; <c>null</c> for an unknown class.</summary>
    private static bool? Class(ReadOnlySpan<char> name, char c) => name switch
    {
        "alnum" => char.IsAsciiLetterOrDigit(c),
        "alpha" => char.IsAsciiLetter(c),
        "blank" => c is ' ' or '\t',
        "cntrl" => char.IsControl(c) && c < 128,
        "digit" => char.IsAsciiDigit(c),
        "graph" => c is > ' ' and < (char)127,
        "lower" => char.IsAsciiLetterLower(c),
        "print" => c is >= ' ' and < (char)127,
        "punct" => c is > ' ' and < (char)127 && !char.IsAsciiLetterOrDigit(c),
        "space" => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v',
        "upper" => char.IsAsciiLetterUpper(c),
        "xdigit" => char.IsAsciiHexDigit(c),
        _ => null,
    };
}
