namespace SpecSynth.Parsing;

/// <summary>
/// A reply split into lines without copying: <c>\r\n</c>, lone <c>\r</c> and <c>\n</c> all end a line.
/// Line numbers are 0-based here; callers add 1 for display.
/// </summary>
internal sealed class ReplyLines
{
    private readonly string _text;
    private readonly List<(int Start, int Length)> _lines = [];

    public ReplyLines(string text)
    {
        _text = text;
        var start = 0;
        while (start < text.Length)
        {
            var end = text.AsSpan(start).IndexOfAny('\r', '\n');
            if (end < 0)
            {
                break;
            }
            end += start;
            _lines.Add((start, end - start));
            start = end + (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1);
        }
        EndsWithNewline = start == text.Length;
        if (!EndsWithNewline)
        {
            _lines.Add((start, text.Length - start));
        }
    }

    /// <summary>The number of lines (a final line break does not start an extra empty line).</summary>
    public int Count => _lines.Count;

    /// <summary>Whether the last line was ended by a line break (a truncated reply usually is not).</summary>
    public bool EndsWithNewline { get; }

    /// <summary>The text of line <paramref name="index"/>, without its line break.</summary>
    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            var (start, length) = _lines[index];
            return _text.AsSpan(start, length);
        }
    }

    /// <summary>Whether line <paramref name="index"/> is empty or only whitespace.</summary>
    public bool IsBlank(int index) => this[index].IsWhiteSpace();
}
