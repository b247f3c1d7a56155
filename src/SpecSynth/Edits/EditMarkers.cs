namespace SpecSynth.Edits;

/// <summary>The marker lines of a SEARCH/REPLACE block: <c>&lt;&lt;&lt;&lt;&lt;&lt;&lt; SEARCH</c>, <c>=======</c>,
/// <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt; REPLACE</c> (5 to 9 marker characters, as models vary; aider's older
/// <c>ORIGINAL</c>/<c>UPDATED</c> words too).</summary>
internal static class EditMarkers
{
    /// <summary>Whether the line opens a block.</summary>
    public static bool IsSearch(ReadOnlySpan<char> line) => Is(line, '<', "SEARCH") || Is(line, '<', "ORIGINAL");

    /// <summary>Whether the line divides the old lines from the new.</summary>
    public static bool IsDivider(ReadOnlySpan<char> line) => Is(line, '=', "");

    /// <summary>Whether the line closes a block.</summary>
    public static bool IsReplace(ReadOnlySpan<char> line) => Is(line, '>', "REPLACE") || Is(line, '>', "UPDATED");

    private static bool Is(ReadOnlySpan<char> line, char c, string word)
    {
        var t = line.Trim();
        var n = 0;
        while (n < t.Length && t[n] == c)
        {
            n++;
        }
        if (n is < 5 or > 9)
        {
            return false;
        }
        var rest = t[n..].Trim();
        return word.Length == 0 ? rest.IsEmpty : rest.Equals(word, StringComparison.Ordinal);
    }
}
