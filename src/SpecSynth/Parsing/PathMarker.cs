namespace SpecSynth.Parsing;

/// <summary>
/// A path marker on a block's first content line, in a comment: <c>// filepath: src/x.cs</c>, <c># file: x.py</c>,
/// <c>&lt;!-- path: x.html --&gt;</c>, <c>-- filepath: x.sql</c>, <c>/* filepath: x.css */</c>,
/// <c>; filepath: x.ini</c>, <c>REM filepath: x.bat</c>, <c>:: filepath: x.bat</c>, <c>% filepath: x.tex</c>,
/// <c>' filepath: x.vb</c>; a repeated comment character (<c>///</c>, <c>##</c>, <c>;;</c>) is one comment.
/// Without a keyword (<c>// src/x.cs</c>), the whole comment must be one token that is clearly a path
/// (a known extension or file name, or a folder and an extension). In markdown, where <c>#</c> starts a heading,
/// only <c>&lt;!-- --&gt;</c> comments may hold a bare path.
/// </summary>
internal static class PathMarker
{
    /// <summary>Reads a marker from a line.</summary>
    /// <param name="line">The line.</param>
    /// <param name="markdown">Whether the block is markdown.</param>
    /// <param name="path">The cleaned path.</param>
    /// <param name="hadKeyword">Whether the marker used a keyword (such a marker is always metadata).</param>
    public static bool TryParse(ReadOnlySpan<char> line, bool markdown, out string path, out bool hadKeyword)
    {
        path = "";
        hadKeyword = false;
        if (!TryCommentBody(line.Trim(), out var body, out var isHtml))
        {
            return false;
        }
        return PathKeyword.TryReadPath(body, allowBare: isHtml || !markdown, out path, out hadKeyword);
    }

    private static bool TryCommentBody(ReadOnlySpan<char> t, out ReadOnlySpan<char> body, out bool isHtml)
    {
        isHtml = false;
        body = default;
        if (t.StartsWith("<!--") && t.EndsWith("-->") && t.Length >= 7)
        {
            isHtml = true;
            body = t[4..^3];
        }
        else if (t.StartsWith("/*") && t.EndsWith("*/") && t.Length >= 4)
        {
            body = t[2..^2].TrimStart('*');
        }
        else if (t.StartsWith("//") || t.StartsWith("--") || t.StartsWith("::"))
        {
            body = t[2..].TrimStart(t[0]);
        }
        else if (t.StartsWith('#') || t.StartsWith(';') || t.StartsWith('%') || t.StartsWith('\''))
        {
            body = t[1..].TrimStart(t[0]);
        }
        else if (t.StartsWith("REM ", StringComparison.OrdinalIgnoreCase))
        {
            body = t[4..];
        }
        else
        {
            return false;
        }
        body = body.Trim();
        return !body.IsEmpty;
    }
}
