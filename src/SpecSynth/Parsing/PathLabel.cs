namespace SpecSynth.Parsing;

/// <summary>
/// A path label on the line before a fence: <c>**src/x.cs**</c>, <c>**File: src/x.cs**</c>,
/// <c>**File:** `src/x.cs`</c>, <c>### File: src/x.cs</c>, <c>### src/x.cs</c>, <c>`src/x.cs`:</c>,
/// <c>`src/x.cs`</c>, <c>File: src/x.cs</c>, <c>Filename: x</c>, <c>src/x.cs:</c>, <c>1. **src/x.cs**</c>,
/// <c>- src/x.cs</c>, optionally followed by a parenthesis (<c>### src/x.cs (new)</c>). Without a keyword the
/// label must be clearly a path; a sentence (<c>Here is `x.cs`:</c>) is never a label.
/// </summary>
internal static class PathLabel
{
    /// <summary>Reads a label from a line.</summary>
    public static bool TryParse(ReadOnlySpan<char> line, out string path)
    {
        path = "";
        var t = StripListAndHeading(line.Trim());
        if (t.IsEmpty || t.Length > 500)
        {
            return false;
        }
        Span<char> buffer = stackalloc char[t.Length];
        var n = 0;
        foreach (var c in t)
        {
            if (c is not ('*' or '`'))
            {
                buffer[n++] = c;
            }
        }
        var text = PathKeyword.StripParenthesis(buffer[..n]).TrimEnd(':');
        return PathKeyword.TryReadPath(text, allowBare: true, out path, out _);
    }

    private static ReadOnlySpan<char> StripListAndHeading(ReadOnlySpan<char> t)
    {
        t = t.TrimStart('#').TrimStart();
        if (t.Length > 2 && t[0] is '-' or '*' or '+' && t[1] == ' ')
        {
            return t[2..].TrimStart();
        }
        var digits = 0;
        while (digits < t.Length && char.IsAsciiDigit(t[digits]))
        {
            digits++;
        }
        if (digits > 0 && digits + 1 < t.Length && t[digits] is '.' or ')' && t[digits + 1] == ' ')
        {
            return t[(digits + 2)..].TrimStart();
        }
        return t;
    }
}
