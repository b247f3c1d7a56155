namespace SpecSynth;

/// <summary>The host's <see cref="GenerateAllRequest.OnSpecDone"/> in a run of several specs: called for one spec at a
/// time, in the order they finish, counting what succeeded and failed. Thread-safe.</summary>
internal sealed class SpecDoneStream(Func<GenerateSpecDone, CancellationToken, ValueTask> onSpecDone, int specs) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _succeeded, _failed;

    /// <summary>How many specs succeeded so far.</summary>
    public int Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>How many failed so far.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Counts a finished spec and hands it to the host (after the previous call returned).</summary>
    public async ValueTask DoneAsync(GenerateSpecDone done, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(done.Index, specs);
        Interlocked.Increment(ref done.Result is null ? ref _failed : ref _succeeded);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await onSpecDone(done, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
