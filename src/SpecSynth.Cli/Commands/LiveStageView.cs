using Spectre.Console;
using Spectre.Console.Rendering;

namespace SpecSynth.Cli.Commands;

/// <summary>The terminal view of <see cref="StageProgress"/>: finished stages as lines, the running one as a live line
/// below them (Spectre.Console live display on stderr, plain text: no colour or bold).</summary>
internal sealed class LiveStageView : IDisposable
{
    private readonly List<IRenderable> _done = [];
    private readonly Lock _gate = new();
    private readonly LiveSession _session;

    public LiveStageView(CliHost host)
    {
        _session = LiveSession.Start(host, new Text(""));
    }

    /// <summary>A line that stays.</summary>
    public void Line(string line)
    {
        lock (_gate)
        {
            _done.Add(new Text(line));
        }
        Show(null);
    }

    /// <summary>Replaces the running stage's line.</summary>
    public void Show(string? current)
    {
        lock (_gate)
        {
            _session.Update(new Rows(current is null ? [.. _done] : [.. _done, new Text(current)]));
        }
    }

    public void Dispose()
    {
        IRenderable last;
        lock (_gate)
        {
            last = new Rows([.. _done]);
        }
        _session.Stop(last);
    }
}
