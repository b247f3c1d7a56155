namespace SpecSynth.Edits;

/// <summary>
/// Finds the placeholders models put in a "whole" file instead of code they did not re-type: <c>// ... existing code ...</c>,
/// <c># ... rest unchanged</c>, <c>/* ... */</c>, <c>// rest of the file unchanged</c>, a line that is only <c>...</c>. A file
/// with one is never written over an existing file. Only comment lines are read (a string or a spread <c>...args</c> is
/// code), and a bare <c>...</c> line is Python's <c>Ellipsis</c> in <c>.py</c>/<c>.pyi</c> files.
/// </summary>
internal static class Elisions
{
    private static readonly string[] CommentStarts = ["//", "#", "/*", "<!--", "--", ";", "'", "{/*", "*", "REM "];

    private static readonly string[] Phrases =
    [
        "existing code", "rest of the file", "rest of file", "rest of the code", "rest of the class", "rest of the methods",
        "rest of the implementation", "remains the same", "remain the same", "omitted for brevity", "code omitted",
        "same as before", "unchanged code", "keep existing", "keep the existing",
    ];

    // Phrases that are ordinary comments too ("// other methods"): an elision only with dots.
    private static readonly string[] DottedPhrases = ["other methods", "previous code", "more code", "other code", "etc"];

    private static readonly string[] UnchangedLeads = ["rest", "remaining", "other", "everything", "all other", "previous", "existing", "(unchanged", "unchanged"];

    /// <summary>The first elision of <paramref name="content"/>: its 1-based line and text; <c>null</c> when there is none.</summary>
    public static (int Line, string Text)? Find(string path, string content)
    {
        var python = path.EndsWith(".py", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pyi", StringComparison.OrdinalIgnoreCase);
        var number = 0;
        foreach (var raw in content.AsSpan().EnumerateLines())
        {
            number++;
            var line = raw.Trim();
            if (line.IsEmpty)
            {
                continue;
            }
            if (line is "..." or "…" or "[...]")
            {
                if (!python)
                {
                    return (number, line.ToString());
                }
                continue;
            }
            if (IsElision(line))
            {
                return (number, line.ToString());
            }
        }
        return null;
    }

    private static bool IsElision(ReadOnlySpan<char> line)
    {
        string? start = null;
        foreach (var s in CommentStarts)
        {
            if (line.StartsWith(s, StringComparison.Ordinal))
            {
                start = s;
                break;
            }
        }
        if (start is null)
        {
            return false;
        }
        var text = line[start.Length..].Trim().TrimEnd("*/").TrimEnd("-->").TrimEnd("*/}").Trim().ToString().ToLowerInvariant();
        var dots = text.Contains("...", StringComparison.Ordinal) || text.Contains('…');
        var bare = text.Replace(".", "", StringComparison.Ordinal).Replace("…", "", StringComparison.Ordinal).Trim();
        if (dots && bare.Length == 0)
        {
            return true;
        }
        foreach (var phrase in Phrases)
        {
            if (text.Contains(phrase, StringComparison.Ordinal) && (dots || text.Length <= phrase.Length + 40))
            {
                return true;
            }
        }
        foreach (var phrase in DottedPhrases)
        {
            if (dots && text.Contains(phrase, StringComparison.Ordinal))
            {
                return true;
            }
        }
        if (text.Contains("unchanged", StringComparison.Ordinal))
        {
            if (dots)
            {
                return true;
            }
            var lead = bare.TrimStart('(', '[');
            foreach (var l in UnchangedLeads)
            {
                if (lead.StartsWith(l.TrimStart('('), StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
