namespace SpecSynth.Parsing;

/// <summary>
/// Cleans path tokens and decides whether a token is a path. Paths are extracted, not judged: <c>..</c> and
/// absolute paths pass (confinement is checked when writing).
/// </summary>
internal static class PathText
{
    private const int MaxPathLength = 400;

    /// <summary>
    /// Trims whitespace, quotes, backticks, asterisks and a trailing colon or comma; turns <c>\</c> into <c>/</c>;
    /// strips leading <c>./</c>.
    /// </summary>
    public static string Clean(ReadOnlySpan<char> token)
    {
        var t = token.Trim();
        while (true)
        {
            var before = t.Length;
            t = t.Trim().TrimEnd(":,").Trim("\"'`*");
            if (t.Length == before)
            {
                break;
            }
        }
        var path = t.ToString().Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }
        return path;
    }

    /// <summary>
    /// Whether a cleaned token can be a path at all: non-empty, one token (no whitespace unless
    /// <paramref name="allowSpaces"/>, for quoted attribute values), no URL, no characters that cannot appear in a
    /// file name, not a folder.
    /// </summary>
    public static bool IsPathToken(string token, bool allowSpaces = false)
    {
        if (token.Length == 0 || token.Length > MaxPathLength || token.EndsWith('/') ||
            token.Contains("://", StringComparison.Ordinal) || token[0] is '!' or '#' or '@' or '$')
        {
            return false;
        }
        foreach (var c in token)
        {
            if ((char.IsWhiteSpace(c) && !(allowSpaces && c == ' ')) || c is '<' or '>' or '|' or '?' or '*' or '"' or '`' or '=')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Whether a cleaned token is clearly a path on its own, without a keyword such as <c>File:</c>: its file name
    /// has a known extension or is a known name (<c>Dockerfile</c>), or it has a folder and its name has an
    /// extension.
    /// </summary>
    public static bool IsClearPath(string token)
    {
        if (!IsPathToken(token))
        {
            return false;
        }
        var slash = token.LastIndexOf('/');
        var name = token.AsSpan(slash + 1);
        var ext = Extension(name);
        return Languages.IsKnownExtension(ext) || Languages.IsKnownFileName(name) ||
            (slash >= 0 && IsExtension(ext));
    }

    /// <summary>The extension of a file name without the dot (empty when none; a leading dot is not one).</summary>
    public static ReadOnlySpan<char> Extension(ReadOnlySpan<char> name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 ? name[(dot + 1)..] : [];
    }

    /// <summary>The file name of a path (after the last <c>/</c>).</summary>
    public static ReadOnlySpan<char> FileName(string path) => path.AsSpan(path.LastIndexOf('/') + 1);

    private static bool IsExtension(ReadOnlySpan<char> ext)
    {
        if (ext.Length is 0 or > 12)
        {
            return false;
        }
        var letter = false;
        foreach (var c in ext)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
            letter |= char.IsAsciiLetter(c);
        }
        return letter;
    }
}
