using System.Globalization;
using SpecSynth.Llm;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// Shows a streamed reply's progress on stderr: tokens received (estimated at 4 characters a token until the
/// provider reports usage), elapsed time and files detected so far. On a terminal one line is redrawn in place;
/// otherwise a plain line is written at most every <see cref="PlainInterval"/>.
/// </summary>
internal sealed class ProgressReporter(CliHost host, ProviderChoice provider) : IProgress<string>
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);
    private readonly long _start = host.Time.GetTimestamp();
    private long _chars;
    private int _fences;
    private int _lineStartRun;
    private TimeSpan? _lastShown;

    public void Report(string value)
    {
        _chars += value.Length;
        CountFences(value);
        var elapsed = host.Time.GetElapsedTime(_start);
        if (host.ErrorIsTerminal)
        {
            host.Error.Write("\r" + Line(elapsed) + "   ");
        }
        else if (_lastShown is null || elapsed - _lastShown.Value >= PlainInterval)
        {
            _lastShown = elapsed;
            host.Error.WriteLine(Line(elapsed));
        }
    }

    public void Finish(TokenUsage usage)
    {
        var elapsed = host.Time.GetElapsedTime(_start);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{provider.Name}/{provider.Model}: done, {usage.OutputTokens:N0} tokens, {Files} files, {elapsed.TotalSeconds:0.0} s");
        host.Error.WriteLine(host.ErrorIsTerminal ? "\r" + line + "   " : line);
    }

    private int Files => _fences / 2 + _fences % 2;

    private string Line(TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
        $"{provider.Name}/{provider.Model}: receiving, ~{_chars / 4:N0} tokens, {Files} files, {elapsed.TotalSeconds:0.0} s");

    private void CountFences(string delta)
    {
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
}
