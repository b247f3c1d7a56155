namespace SpecSynth.Specs;

/// <summary>
/// Cuts a text into its lines at each <c>'\n'</c> (a <c>'\r'</c> before it dropped), the way the spec readers number lines,
/// without copying: each line is a slice of the text. The last line is the text after the last <c>'\n'</c> (empty when the
/// text ends with one).
/// </summary>
internal ref struct TextLines(ReadOnlySpan<char> text)
{
    private ReadOnlySpan<char> _rest = text;
    private bool _done;

    /// <summary>The next line, or <c>false</c> after the last.</summary>
    public bool TryNext(out ReadOnlySpan<char> line)
    {
        if (_done)
        {
            line = default;
            return false;
        }
        var newline = _rest.IndexOf('\n');
        line = (newline >= 0 ? _rest[..newline] : _rest).TrimEnd('\r');
        if (newline < 0)
        {
            _done = true;
            _rest = default;
        }
        else
        {
            _rest = _rest[(newline + 1)..];
        }
        return true;
    }
}
