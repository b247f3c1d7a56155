using System.Runtime.InteropServices;

namespace SpecSynth.Cli;

/// <summary>
/// Turns the signals that ask a process to stop into one cancellation: Ctrl+C (SIGINT), SIGTERM (what <c>timeout</c>, CI
/// cancellation, <c>docker stop</c> and systemd send) and SIGHUP (the terminal went away). The first signal cancels the
/// run, which rolls back a write in progress, kills a <c>--check</c> command with its process tree and deletes its copy;
/// the exit code is 128 + the signal (130, 143, 129). A second signal of the same kind ends the process at once.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signal;

    private Interruption()
    {
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The exit code for the signal that cancelled the run (<see cref="ExitCodes.Interrupted"/> when none did).</summary>
    public int ExitCode => ExitCodes.ForSignal(Volatile.Read(ref _signal));

    /// <summary>Listens to SIGINT, SIGTERM and SIGHUP of this process (SIGINT alone on Windows).</summary>
    public static Interruption FromProcess()
    {
        var interruption = new Interruption();
        interruption.Listen(PosixSignal.SIGINT, 2);
        if (!OperatingSystem.IsWindows())
        {
            interruption.Listen(PosixSignal.SIGTERM, 15);
            interruption.Listen(PosixSignal.SIGHUP, 1);
        }
        return interruption;
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _cancel.Dispose();
    }

    private void Listen(PosixSignal signal, int number) =>
        _registrations.Add(PosixSignalRegistration.Create(signal, context =>
        {
            // The first signal cancels cleanly; a repeat of it gets the default action (the process ends at once).
            var first = Interlocked.CompareExchange(ref _signal, number, 0) == 0;
            context.Cancel = first || Volatile.Read(ref _signal) != number;
            _cancel.Cancel();
        }));
}
