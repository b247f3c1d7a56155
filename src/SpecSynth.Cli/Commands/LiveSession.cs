using Spectre.Console;
using Spectre.Console.Rendering;

namespace SpecSynth.Cli.Commands;

/// <summary>A Spectre.Console live display on stderr that is started and stopped by events (rather than wrapping the
/// work): the display runs on its own task until <see cref="Stop"/>, which waits for its last render.</summary>
internal sealed class LiveSession
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<LiveDisplayContext> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _display;
    private int _stopped;

    private LiveSession(IAnsiConsole console, IRenderable initial)
    {
        _display = console.Live(initial).AutoClear(false).StartAsync(async context =>
        {
            _ready.TrySetResult(context);
            await _done.Task.ConfigureAwait(false);
        });
    }

    /// <summary>Starts a live display of <paramref name="initial"/> on <paramref name="host"/>'s stderr.</summary>
    public static LiveSession Start(CliHost host, IRenderable initial) => new(TerminalConsole.Create(host), initial);

    /// <summary>Replaces what the display shows.</summary>
    public void Update(IRenderable target)
    {
        if (Volatile.Read(ref _stopped) == 0 && _ready.Task.Wait(TimeSpan.FromSeconds(5)))
        {
            _ready.Task.Result.UpdateTarget(target);
        }
    }

    /// <summary>Shows <paramref name="last"/> (when given), ends the display and waits for it to finish rendering.</summary>
    public void Stop(IRenderable? last = null)
    {
        if (last is not null)
        {
            Update(last);
        }
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        _done.TrySetResult();
        _display.GetAwaiter().GetResult();
    }
}
