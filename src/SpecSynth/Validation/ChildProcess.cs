using System.Diagnostics;
using System.Text;

namespace SpecSynth.Validation;

/// <summary>Runs a child process with a timeout (the whole process tree is killed) and captures capped output.</summary>
internal static class ChildProcess
{
    public static async Task<ProcessOutcome> RunAsync(ProcessStartInfo psi, TimeSpan timeout, int maxOutputChars,
        TimeProvider time, CancellationToken cancellationToken)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.UseShellExecute = false;
        var output = new CappedText(maxOutputChars);
        var started = time.GetTimestamp();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => output.AppendLine(e.Data);
        process.ErrorDataReceived += (_, e) => output.AppendLine(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            process.WaitForExit(); // drains the redirected output
            return new ProcessOutcome(process.ExitCode, output.ToString(), false, time.GetElapsedTime(started));
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            output.AppendLine($"(killed after {timeout.TotalSeconds:0.#} s)");
            return new ProcessOutcome(null, output.ToString(), true, time.GetElapsedTime(started));
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
