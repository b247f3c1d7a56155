using System.Globalization;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// Shows a streamed reply's progress on stderr as plain lines (for logs and pipes): tokens received (estimated at
/// 4 characters a token until the provider reports usage), elapsed time and files detected so far, at most one
/// line every <see cref="Interval"/>. On a terminal, <see cref="LiveProgressView"/> is used instead.
/// </summary>
internal sealed class ProgressReporter(CliHost host, string provider, string model) : IReplyView
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly long _start = host.Time.GetTimestamp();
    private readonly StreamStats _stats = new();
    private TimeSpan? _lastShown;

    public void Report(string value)
    {
        _stats.Add(value);
        var elapsed = host.Time.GetElapsedTime(_start);
        if (_lastShown is null || elapsed - _lastShown.Value >= Interval)
        {
            _lastShown = elapsed;
            host.Error.WriteLine($"{provider}/{model}: {_stats.Describe(elapsed)}");
        }
    }

    public void Restarted()
    {
        _stats.Reset();
        host.Error.WriteLine($"{provider}/{model}: stream restarted; discarding what was received");
    }

    public void Finish(long outputTokens)
    {
        var elapsed = host.Time.GetElapsedTime(_start);
        host.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{provider}/{model}: done, {outputTokens:N0} tokens, {_stats.Files} files, {elapsed.TotalSeconds:0.0} s"));
    }

    public void Dispose()
    {
    }
}
