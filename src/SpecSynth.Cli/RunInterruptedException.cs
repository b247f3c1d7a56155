namespace SpecSynth.Cli;

/// <summary>A run cancelled after part of its work was already kept (say, the first of two specs was written): the message
/// says what was written and what was not, instead of the usual "nothing was written".</summary>
internal sealed class RunInterruptedException(string message, CancellationToken token) : OperationCanceledException(message, token);
