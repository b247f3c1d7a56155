using System.Globalization;

namespace SpecSynth.Cli.Commands;

/// <summary>Counts what a streamed reply has delivered so far: characters (about 4 a token) and files (fenced blocks).</summary>
internal sealed class StreamStats
{
    private int _fences;
    private int _lineStartRun;

    public long Chars { get; private set; }

    public int Files => (_fences / 2) + (_fences % 2);

    /// <summary>Forgets everything counted (the stream restarted from the beginning).</summary>
    public void Reset()
    {
        Chars = 0;
        _fences = 0;
        _lineStartRun = 0;
    }

    public void Add(string delta)
    {
        Chars += delta.Length;
        // _lineStartRun counts fence characters at the start of the current line; -1 once the line has other text.
        foreach (var c in delta)
        {
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
        $"receiving, ~{Chars / 4:N0} tokens, {Files} files, {elapsed.TotalSeconds:0.0} s");
}
