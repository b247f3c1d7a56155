using System.Globalization;

namespace SpecSynth.Cli.Commands;

/// <summary>Counts what a streamed reply has delivered so far: characters (about 4 a token), files (fenced blocks) and
/// edits (SEARCH/REPLACE blocks: lines starting <c>&lt;&lt;&lt;&lt;&lt;&lt;&lt; SEARCH</c>).</summary>
internal sealed class StreamStats
{
    private const string SearchMarker = "<<<<<<< SEARCH";
    private int _fences;
    private int _lineStartRun;
    private int _markerRun;

    public long Chars { get; private set; }

    public int Files => (_fences / 2) + (_fences % 2);

    /// <summary>The SEARCH/REPLACE blocks begun so far.</summary>
    public int Edits { get; private set; }

    /// <summary>Forgets everything counted (the stream restarted from the beginning).</summary>
    public void Reset()
    {
        Chars = 0;
        _fences = 0;
        _lineStartRun = 0;
        _markerRun = 0;
        Edits = 0;
    }

    public void Add(string delta)
    {
        Chars += delta.Length;
        // _lineStartRun counts fence characters at the start of the current line; -1 once the line has other text.
        foreach (var c in delta)
        {
            // _markerRun counts how much of "<<<<<<< SEARCH" the current line starts with; -1 once it cannot.
            if (c == '\n')
            {
                _markerRun = 0;
            }
            else if (_markerRun >= 0 && _markerRun < SearchMarker.Length)
            {
                _markerRun = SearchMarker[_markerRun] == c ? _markerRun + 1 : -1;
                Edits += _markerRun == SearchMarker.Length ? 1 : 0;
            }
            if (c == '\n')
            {
                _lineStartRun = 0;
            }
            else if (_lineStartRun >= 0 && (c == '`' || c == '~'))
            {
                if (++_lineStartRun == 3)
                {
                    _fences++;
                }
            }
            else
            {
                _lineStartRun = -1;
            }
        }
    }

    public string Describe(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"receiving, ~{Chars / 4:N0} tokens, {Files} files{(Edits > 0 ? $" ({Edits} edits)" : "")}, {elapsed.TotalSeconds:0.0} s");
}
