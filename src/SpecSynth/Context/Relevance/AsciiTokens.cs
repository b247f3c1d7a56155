namespace SpecSynth.Context.Relevance;

/// <summary>The identifier tokens of UTF-8 text as (start, end) byte offsets (<see cref="AsciiText"/> decides which bytes
/// belong to a token). Allocation-free: enumerate it with <c>foreach</c>.</summary>
internal ref struct AsciiTokens(ReadOnlySpan<byte> text)
{
    private readonly ReadOnlySpan<byte> _text = text;
    private int _at;

    /// <summary>The current token.</summary>
    public (int Start, int End) Current { get; private set; }

    /// <summary>The enumerator (this value).</summary>
    public readonly AsciiTokens GetEnumerator() => this;

    /// <summary>Moves to the next token; <c>false</c> at the end of the text.</summary>
    public bool MoveNext()
    {
        while (_at < _text.Length && AsciiText.ClassOf(_text[_at]) == 0)
        {
            _at++;
        }
        if (_at >= _text.Length)
        {
            return false;
        }
        var start = _at;
        while (_at < _text.Length && AsciiText.ClassOf(_text[_at]) != 0)
        {
            _at++;
        }
        Current = (start, _at);
        return true;
    }
}
