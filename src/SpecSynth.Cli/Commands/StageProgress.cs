using System.Globalization;
using SpecSynth.Validation;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// Shows on stderr what happens after the model answered: validating, the <c>--check</c> command (elapsed time and its
/// last output line), each repair round (and its streamed reply) and the self-review. On a terminal the running stage
/// is a live line (<see cref="LiveStageView"/>) and finished stages stay above it; otherwise every stage is a plain line,
/// a running check gets one every ten seconds and a streamed repair reply one every two. Not used with <c>--json</c>.
/// </summary>
internal sealed class StageProgress : IDisposable
{
    private static readonly TimeSpan PlainCheckInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PlainStreamInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(250);
    private readonly Lock _gate = new();
    private readonly CliHost _host;
    private readonly string _provider;
    private readonly Action<string> _line;
    private readonly Action<string>? _live;
    private readonly ITimer _timer;
    private string? _check;
    private string? _lastOutput;
    private long _stageStart;
    private StreamStats? _stream;
    private string _streamLabel = "";
    private TimeSpan? _lastStreamLine;

    /// <param name="host">The clock.</param>
    /// <param name="provider">Who answers the repair requests (<c>provider/model</c>).</param>
    /// <param name="line">Prints a line that stays.</param>
    /// <param name="live">Replaces the live line (a terminal), or <c>null</c> for plain lines only.</param>
    public StageProgress(CliHost host, string provider, Action<string> line, Action<string>? live)
    {
        (_host, _provider, _line, _live) = (host, provider, line, live);
        _stageStart = host.Time.GetTimestamp();
        var tick = live is null ? PlainCheckInterval : LiveInterval;
        _timer = host.Time.CreateTimer(_ => Tick(), null, tick, tick);
    }

    public void Validating(int round, int files) =>
        Stage(string.Create(CultureInfo.InvariantCulture, $"validating {files} file{(files == 1 ? "" : "s")}{(round == 0 ? "" : $" after repair round {round}")}"));

    public void CheckStarted(int round, string command)
    {
        lock (_gate)
        {
            (_check, _lastOutput, _stream, _stageStart) = (command, null, null, _host.Time.GetTimestamp());
        }
        Stage($"check '{command}': running");
    }

    public void CheckOutput(string line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            lock (_gate)
            {
                _lastOutput = Cut(line.Trim());
            }
        }
    }

    public void CheckFinished(CheckResult result)
    {
        var outcome = result.Passed ? "passed" : result.TimedOut ? "timed out" : $"failed (exit {result.ExitCode})";
        var last = result.Passed ? null : LastLine(result.Output);
        lock (_gate)
        {
            _check = null;
            _line(string.Create(CultureInfo.InvariantCulture,
                $"check '{result.Command}': {outcome}, {result.Duration.TotalSeconds:0.0} s{(last is null ? "" : " · last output: " + last)}"));
        }
    }

    public void Repairing(int round, int maxRounds, int errors, bool checkFailed)
    {
        var what = string.Join(" and ", new[] { errors > 0 ? $"{errors} error{(errors == 1 ? "" : "s")}" : null, checkFailed ? "the failed check" : null }.OfType<string>());
        BeginStream($"repair round {round} of {maxRounds}",
            $"asking {_provider} to fix {(what.Length == 0 ? "the files" : what)}");
    }

    public void Reviewing() => BeginStream("self-review", $"asking {_provider} to check the requirements");

    /// <summary>A delta of a repair or review reply.</summary>
    public void Report(string value)
    {
        lock (_gate)
        {
            if (_stream is null)
            {
                return;
            }
            _stream.Add(value);
            var elapsed = _host.Time.GetElapsedTime(_stageStart);
            if (_live is not null)
            {
                _live($"{_streamLabel}: {_stream.Describe(elapsed)}");
            }
            else if (_lastStreamLine is null || elapsed - _lastStreamLine.Value >= PlainStreamInterval)
            {
                _lastStreamLine = elapsed;
                _line($"{_streamLabel}: {_stream.Describe(elapsed)}");
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private void BeginStream(string label, string status)
    {
        lock (_gate)
        {
            (_check, _stream, _streamLabel, _lastStreamLine, _stageStart) = (null, new StreamStats(), label, null, _host.Time.GetTimestamp());
            _line($"{label}: {status}");
            _live?.Invoke($"{label}: waiting for the reply…");
        }
    }

    private void Stage(string text)
    {
        lock (_gate)
        {
            if (_live is null)
            {
                _line(text);
            }
            else
            {
                _live(text);
            }
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_check is null)
            {
                return;
            }
            var text = string.Create(CultureInfo.InvariantCulture,
                $"check '{_check}': running, {_host.Time.GetElapsedTime(_stageStart).TotalSeconds:0} s{(_lastOutput is null ? "" : " · " + _lastOutput)}");
            if (_live is null)
            {
                _line(text);
            }
            else
            {
                _live(text);
            }
        }
    }

    private static string? LastLine(string output) =>
        output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) is { } line ? Cut(line) : null;

    private static string Cut(string line) => line.Length > 160 ? line[..159] + "…" : line;
}
