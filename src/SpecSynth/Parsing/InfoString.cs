namespace SpecSynth.Parsing;

/// <summary>
/// What a fence's info string says. Accepted forms: <c>csharp</c>, <c>csharp path=src/x.cs</c> (also
/// <c>file=</c>, <c>filename=</c>, <c>filepath=</c>, <c>title=</c>, values quoted or not), <c>src/x.cs</c>,
/// <c>x.cs</c>, <c>csharp:src/x.cs</c> and <c>csharp src/x.cs</c>. A bare token is a path only when it is clearly
/// one (<see cref="PathText.IsClearPath"/>).
/// </summary>
/// <param name="Language">The normalised language word, or <c>null</c>.</param>
/// <param name="Path">The cleaned path, or <c>null</c>.</param>
internal sealed record InfoString(string? Language, string? Path)
{
    private static readonly string[] PathKeys = ["path", "file", "filename", "filepath", "title"];

    /// <summary>Parses an info string.</summary>
    public static InfoString Parse(string info)
    {
        string? language = null;
        string? path = null;
        var tokens = Tokenize(info.Trim('{', '}', ' '));
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                path ??= FromAttribute(token[..eq].TrimStart('{'), token[(eq + 1)..].TrimEnd('}'));
            }
            else if (i == 0)
            {
                (language, path) = FromFirstToken(token);
            }
            else if (i == 1 && path is null && PathText.IsClearPath(PathText.Clean(token)))
            {
                path = PathText.Clean(token);
            }
        }
        return new InfoString(language, path);
    }

    private static string? FromAttribute(string key, string value)
    {
        var name = key.Trim().TrimStart('.').ToLowerInvariant();
        if (!PathKeys.Contains(name))
        {
            return null;
        }
        // A title is often a caption ("Example output"), so it must be clearly a path; path= and file= may be
        // any path, with spaces when quoted.
        var path = PathText.Clean(value);
        var ok = name == "title" ? PathText.IsClearPath(path) : PathText.IsPathToken(path, allowSpaces: true);
        return ok ? path : null;
    }

    private static (string? Language, string? Path) FromFirstToken(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && !token.Contains("://", StringComparison.Ordinal))
        {
            var path = PathText.Clean(token.AsSpan(colon + 1));
            if (PathText.IsPathToken(path) && IsLanguageWord(token[..colon]))
            {
                return (Languages.Normalize(token[..colon]), path);
            }
        }
        var clean = PathText.Clean(token);
        if (PathText.IsClearPath(clean))
        {
            return (null, clean);
        }
        return IsLanguageWord(token) ? (Languages.Normalize(token.TrimStart('.')), null) : (null, null);
    }

    private static bool IsLanguageWord(string word)
    {
        foreach (var c in word)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '#' or '-' or '_' or '.'))
            {
                return false;
            }
        }
        return word.Length > 0;
    }

    /// <summary>Splits on whitespace, keeping double- or single-quoted runs (quotes included) in their token.</summary>
    private static List<string> Tokenize(string info)
    {
        var tokens = new List<string>();
        var start = -1;
        char quote = '\0';
        for (var i = 0; i < info.Length; i++)
        {
            var c = info[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (char.IsWhiteSpace(c))
            {
                AddToken(tokens, info, start, i);
                start = -1;
            }
            else
            {
                start = start < 0 ? i : start;
                quote = c is '"' or '\'' ? c : '\0';
            }
        }
        AddToken(tokens, info, start, info.Length);
        return tokens;
    }

    private static void AddToken(List<string> tokens, string info, int start, int end)
    {
        if (start >= 0)
        {
            tokens.Add(info[start..end]);
        }
    }
}
