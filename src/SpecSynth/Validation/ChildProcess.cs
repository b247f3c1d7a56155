using System.Diagnostics;
using System.Text;

namespace SpecSynth.Validation;

/// <summary>Runs a child process with a timeout (the whole process tree is killed) and captures capped output.</summary>
internal static class ChildProcess
{
    /// <summary>How long to wait for the rest of the output after the process exited: a background child
    /// (a build server) may hold the pipes open long after.</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);

    public static async Task<ProcessOutcome> RunAsync(ProcessStartInfo psi, TimeSpan timeout, int maxOutputChars,
        TimeProvider time, CancellationToken cancellationToken, Action<string>? onLine = null)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        var output = new CappedText(maxOutputChars);
        var started = time.GetTimestamp();
        using var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdoutDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderrDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => Receive(output, e.Data, stdoutDone, onLine);
        process.ErrorDataReceived += (_, e) => Receive(output, e.Data, stderrDone, onLine);
        process.Exited += (_, _) => exited.TrySetResult();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            await exited.Task.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            output.AppendLine($"(killed after {timeout.TotalSeconds:0.#} s)");
            return new ProcessOutcome(null, output.ToString(), true, time.GetElapsedTime(started));
        }
        var elapsed = time.GetElapsedTime(started);
        await DrainAsync(Task.WhenAll(stdoutDone.Task, stderrDone.Task), time, cancellationToken).ConfigureAwait(false);
        return new ProcessOutcome(process.ExitCode, output.ToString(), false, elapsed);
    }

    private static void Receive(CappedText output, string? line, TaskCompletionSource done, Action<string>? onLine)
    {
        if (line is null)
        {
            done.TrySetResult();
        }
        else
        {
            output.AppendLine(line);
            onLine?.Invoke(line);
        }
    }

    private static async Task DrainAsync(Task eof, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await eof.WaitAsync(OutputGrace, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A background child still holds the pipes; what was read so far is the output.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>Keeps the first quarter and the last three quarters of the allowed size; the middle is replaced by a note.</summary>
    private sealed class CappedText(int max)
    {
        private readonly Lock _gate = new();
        private readonly StringBuilder _head = new();
        private readonly StringBuilder _tail = new();
        private long _dropped;

        public void AppendLine(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_gate)
            {
                if (_head.Length + line.Length + 1 <= max / 4 && _tail.Length == 0)
                {
                    _head.Append(line).Append('\n');
                    return;
                }
                _tail.Append(line).Append('\n');
                var over = _tail.Length - (max - max / 4);
                if (over > 0)
                {
                    _tail.Remove(0, over);
                    _dropped += over;
                }
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return _dropped == 0 ? _head.ToString() + _tail
                    : $"{_head}... ({_dropped} characters cut) ...\n{_tail}";
            }
        }
    }
}
