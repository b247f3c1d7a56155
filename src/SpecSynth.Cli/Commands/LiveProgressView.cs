using Spectre.Console;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// The terminal view of a streamed generation (Spectre.Console live display on stderr): provider and model, tokens
/// received, elapsed time and files detected so far, redrawn at most ten times a second. Only created when stderr
/// is a terminal, so Spectre.Console is not loaded otherwise. Fed by the service's reply events.
/// </summary>
internal sealed class LiveProgressView : IReplyView
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(100);
    private readonly CliHost _host;
    private readonly string _provider;
    private readonly string _model;
    private readonly LiveSession _session;
    private readonly long _start;
    private readonly StreamStats _stats = new();
    private TimeSpan _lastDrawn = TimeSpan.Zero;

    public LiveProgressView(CliHost host, string provider, string model)
    {
        (_host, _provider, _model) = (host, provider, model);
        _start = host.Time.GetTimestamp();
        _session = LiveSession.Start(host, Line("connecting…"));
    }

    public void Report(string value)
    {
        _stats.Add(value);
        var elapsed = _host.Time.GetElapsedTime(_start);
        if (elapsed - _lastDrawn >= Redraw)
        {
            _lastDrawn = elapsed;
            _session.Update(Line(_stats.Describe(elapsed)));
        }
    }

    public void Restarted()
    {
        _stats.Reset();
        _session.Update(Line("restarting after an error…"));
    }

    public void Finish(long outputTokens)
    {
        var elapsed = _host.Time.GetElapsedTime(_start);
        _session.Stop(Line($"done, {outputTokens:N0} tokens, {_stats.Files} files, {elapsed.TotalSeconds:0.0} s"));
    }

    public void Dispose() => _session.Stop();

    private Markup Line(string status) =>
        new($"{TerminalConsole.Bold(_host, _provider)}/{Markup.Escape(_model)}: {Markup.Escape(status)}");
}
