namespace SpecSynth.Parsing;

/// <summary>The words that announce a path: <c>filepath:</c>, <c>file path:</c>, <c>filename:</c>,
/// <c>file name:</c>, <c>file:</c>, <c>path:</c> (any case, spaces allowed before the colon).</summary>
internal static class PathKeyword
{
    private static readonly string[] Keywords = ["filepath", "file path", "filename", "file name", "file", "path"];

    /// <summary>Strips a leading keyword and its colon; <paramref name="rest"/> is what follows, trimmed.</summary>
    public static bool TryStrip(ReadOnlySpan<char> text, out ReadOnlySpan<char> rest)
    {
        rest = default;
        text = text.TrimStart();
        foreach (var keyword in Keywords)
        {
            if (text.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
            {
                var after = text[keyword.Length..].TrimStart();
                if (after.StartsWith(':'))
                {
                    rest = after[1..].Trim();
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// Reads a path from text that may start with a keyword. After a keyword, any single path token is accepted
    /// (<c>File: Dockerfile</c>); without one, the text must be clearly a path (<see cref="PathText.IsClearPath"/>).
    /// </summary>
    public static bool TryReadPath(ReadOnlySpan<char> text, bool allowBare, out string path, out bool hadKeyword)
    {
        hadKeyword = TryStrip(text, out var rest);
        path = PathText.Clean(StripParenthesis(hadKeyword ? rest : text));
        return hadKeyword ? PathText.IsPathToken(path) : allowBare && PathText.IsClearPath(path);
    }

    /// <summary>Drops a trailing remark in parentheses: <c>src/x.cs (new file)</c>.</summary>
    public static ReadOnlySpan<char> StripParenthesis(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        var open = text.LastIndexOf(" (");
        return open > 0 && text.EndsWith(')') ? text[..open].TrimEnd().TrimEnd(':').TrimEnd() : text;
    }
}
