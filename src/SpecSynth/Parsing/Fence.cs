namespace SpecSynth.Parsing;

/// <summary>
/// A CommonMark code fence: three or more backticks or tildes, indented by at most three spaces.
/// A backtick fence's info string may not contain a backtick (so <c>```x```</c> on one line is inline code).
/// </summary>
/// <param name="Char">The fence character, <c>`</c> or <c>~</c>.</param>
/// <param name="Length">The number of fence characters.</param>
/// <param name="Indent">The opening fence's indentation, removed from content lines (up to that many spaces).</param>
/// <param name="Info">The trimmed info string.</param>
internal readonly record struct Fence(char Char, int Length, int Indent, string Info)
{
    private const int MaxIndent = 3;

    /// <summary>Reads an opening fence from a line.</summary>
    public static bool TryOpen(ReadOnlySpan<char> line, out Fence fence)
    {
        fence = default;
        var indent = LeadingSpaces(line);
        if (indent > MaxIndent || line.Length - indent < 3)
        {
            return false;
        }
        var rest = line[indent..];
        var c = rest[0];
        if (c is not ('`' or '~'))
        {
            return false;
        }
        var run = Run(rest, c);
        if (run < 3)
        {
            return false;
        }
        var info = rest[run..].Trim();
        if (c == '`' && info.Contains('`'))
        {
            return false;
        }
        fence = new Fence(c, run, indent, info.ToString());
        return true;
    }

    /// <summary>Whether a line closes this fence: same character, at least as long, nothing after but spaces.</summary>
    public bool IsClosedBy(ReadOnlySpan<char> line)
    {
        var indent = LeadingSpaces(line);
        if (indent > MaxIndent)
        {
            return false;
        }
        var rest = line[indent..];
        var run = Run(rest, Char);
        return run >= Length && rest[run..].IsWhiteSpace();
    }

    /// <summary>Whether a line opens a fence like this one (same character, at least as long) with an info string.</summary>
    public bool IsOpenedWithInfoBy(ReadOnlySpan<char> line, out Fence inner) =>
        TryOpen(line, out inner) && inner.Char == Char && inner.Length >= Length && inner.Info.Length > 0;

    private static int LeadingSpaces(ReadOnlySpan<char> line)
    {
        var n = 0;
        while (n < line.Length && line[n] == ' ')
        {
            n++;
        }
        return n;
    }

    private static int Run(ReadOnlySpan<char> text, char c)
    {
        var n = 0;
        while (n < text.Length && text[n] == c)
        {
            n++;
        }
        return n;
    }
}
