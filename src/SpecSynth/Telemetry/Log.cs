using Microsoft.Extensions.Logging;

namespace SpecSynth.Telemetry;

/// <summary>
/// The library's log messages (source-generated). Categories per area: <see cref="Categories"/>. No message carries a
/// prompt, a reply or a key; text that could hold a secret (a provider's error) is passed through the redactor first.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Message = "{Stage} started")]
    public static partial void StageStarted(ILogger logger, LogLevel level, string stage);

    [LoggerMessage(EventId = 2, Message = "{Stage} finished in {ElapsedMs:0} ms")]
    public static partial void StageFinished(ILogger logger, LogLevel level, string stage, double elapsedMs);

    [LoggerMessage(EventId = 3, Message = "{Stage} failed ({ErrorType})")]
    public static partial void StageFailed(ILogger logger, LogLevel level, string stage, string errorType);

    [LoggerMessage(20, LogLevel.Information, "{Provider}: retrying (attempt {Attempt}) in {DelayMs:0} ms after {Reason}")]
    public static partial void Retrying(ILogger logger, string provider, int attempt, double delayMs, string reason);

    [LoggerMessage(21, LogLevel.Information, "{Provider}: waiting {DelayMs:0} ms for the rate limit ({Reason})")]
    public static partial void RateLimitWait(ILogger logger, string provider, double delayMs, string reason);

    [LoggerMessage(22, LogLevel.Information, "{Provider}: the stream broke after output began; restarting (attempt {Attempt}): {Reason}")]
    public static partial void StreamRestart(ILogger logger, string provider, int attempt, string reason);

    [LoggerMessage(23, LogLevel.Warning, "falling back from {Skipped} to {Next}: {Reason}")]
    public static partial void Fallback(ILogger logger, string skipped, string next, string reason);

    [LoggerMessage(24, LogLevel.Warning, "{Provider}: circuit opened for {BreakMs:0} ms after {Reason}")]
    public static partial void CircuitOpened(ILogger logger, string provider, double breakMs, string reason);

    [LoggerMessage(25, LogLevel.Debug, "{Provider}: circuit {State}")]
    public static partial void CircuitState(ILogger logger, string provider, string state);

    [LoggerMessage(26, LogLevel.Information, "{Provider}: reply cut at max tokens; continuing (round {Round})")]
    public static partial void Continuation(ILogger logger, string provider, int round);

    [LoggerMessage(27, LogLevel.Information, "{Provider}: key {KeyAlias} {What} ({Reason})")]
    public static partial void KeyEvent(ILogger logger, string provider, string keyAlias, string what, string reason);

    [LoggerMessage(30, LogLevel.Debug, "{Operation} request to {Provider}/{Model}: {Outcome} in {LatencyMs:0} ms, {InputTokens} in / {OutputTokens} out tokens (cache read {CacheRead}, write {CacheWrite}), ${Cost:0.######}")]
    public static partial void Request(ILogger logger, string operation, string provider, string model, string outcome, double latencyMs,
        long inputTokens, long outputTokens, long cacheRead, long cacheWrite, decimal cost);

    [LoggerMessage(31, LogLevel.Information, "{Operation} request answered from the response cache ({Provider}/{Model})")]
    public static partial void CacheHit(ILogger logger, string operation, string provider, string model);

    [LoggerMessage(40, LogLevel.Debug, "scanned {Files} files in {Root}")]
    public static partial void Scanned(ILogger logger, int files, string root);

    [LoggerMessage(41, LogLevel.Debug, "ranked {Files} files for the spec")]
    public static partial void Ranked(ILogger logger, int files);

    [LoggerMessage(42, LogLevel.Debug, "planned the prompt: {Tokens} tokens, {Files} files in full")]
    public static partial void Planned(ILogger logger, long tokens, int files);

    [LoggerMessage(50, LogLevel.Debug, "validation round {Round}: {Files} files, {Errors} errors")]
    public static partial void Validated(ILogger logger, int round, int files, int errors);

    [LoggerMessage(51, LogLevel.Information, "repair round {Round} of {MaxRounds}: {Errors} errors, check failed: {CheckFailed}")]
    public static partial void RepairRound(ILogger logger, int round, int maxRounds, int errors, bool checkFailed);

    [LoggerMessage(52, LogLevel.Debug, "check '{Command}' {Result} (exit {ExitCode})")]
    public static partial void Checked(ILogger logger, string command, string result, int? exitCode);

    [LoggerMessage(60, LogLevel.Information, "writing {Files} files to {OutputRoot}")]
    public static partial void Writing(ILogger logger, int files, string outputRoot);

    [LoggerMessage(61, LogLevel.Debug, "journal run {RunId} recorded")]
    public static partial void Written(ILogger logger, string runId);

    [LoggerMessage(70, LogLevel.Warning, "{Message}")]
    public static partial void Warning(ILogger logger, string message);
}
