namespace SpecSynth.Validation;

/// <summary>How a child process ended.</summary>
/// <param name="ExitCode">The exit code, or <c>null</c> when it was killed after the timeout.</param>
/// <param name="Output">Standard output and error interleaved as read, capped (the middle is cut).</param>
/// <param name="TimedOut">Whether the timeout killed it.</param>
/// <param name="Duration">How long it ran.</param>
internal sealed record ProcessOutcome(int? ExitCode, string Output, bool TimedOut, TimeSpan Duration);
