namespace SpecSynth.Batching;

/// <summary>What a batch run's coordinator needs besides its specs.</summary>
/// <param name="Store">The state.</param>
/// <param name="Time">The clock of the polls.</param>
/// <param name="Project">The project folder (full path).</param>
/// <param name="Flags">The run's flags as JSON, stored for <c>batch resume</c>.</param>
/// <param name="PollInterval">The first wait between polls.</param>
/// <param name="Resume">The stored batches being resumed (empty for a new run).</param>
/// <param name="RetryFailed">On resume, resubmit errored, expired and canceled requests instead of reporting them.</param>
/// <param name="Repairs">Collect the specs' first repair round into a second batch (<c>--batch-repairs</c>).</param>
internal sealed record BatchRun(BatchStore Store, TimeProvider Time, string Project, string Flags, TimeSpan PollInterval,
    IReadOnlyList<BatchInfo> Resume, bool RetryFailed, bool Repairs = false);
