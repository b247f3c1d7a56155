namespace SpecSynth.Validation;

/// <summary>What a <c>--check</c> command did with the generated files applied to a copy of the project.</summary>
/// <param name="Command">The command as given.</param>
/// <param name="Passed">Whether it exited with code 0 within the timeout.</param>
/// <param name="ExitCode">Its exit code, or <c>null</c> when it was killed after the timeout.</param>
/// <param name="Output">Standard output and error, capped (see <see cref="CheckOptions.MaxOutputChars"/>).</param>
/// <param name="TimedOut">Whether the timeout killed it.</param>
/// <param name="Duration">How long it ran.</param>
public sealed record CheckResult(string Command, bool Passed, int? ExitCode, string Output, bool TimedOut, TimeSpan Duration);
