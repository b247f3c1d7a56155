namespace SpecSynth.Output;

/// <summary>A text split into lines at <c>\n</c>; each line keeps any <c>\r</c> so line endings compare exactly.</summary>
internal sealed class Lines
{
    private readonly string[] _lines;

    private Lines(string[] lines, bool endsWithNewline)
    {
        _lines = lines;
        EndsWithNewline = endsWithNewline;
    }

    /// <summary>The number of lines (a last line without <c>\n</c> counts).</summary>
    public int Count => _lines.Length;

    /// <summary>Whether the text ends in <c>\n</c> (true for empty text, which has no lines).</summary>
    public bool EndsWithNewline { get; }

    /// <summary>Splits <paramref name="text"/>.</summary>
    public static Lines Split(string text)
    {
        if (text.Length == 0)
        {
            return new Lines([], endsWithNewline: true);
        }
        var endsWithNewline = text.EndsWith('\n');
        var parts = (endsWithNewline ? text[..^1] : text).Split('\n');
        return new Lines(parts, endsWithNewline);
    }

    /// <summary>The text of line <paramref name="index"/>, without its <c>\n</c>.</summary>
    public string Text(int index) => _lines[index];
}
