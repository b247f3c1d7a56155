namespace SpecSynth.Usage;

/// <summary>
/// What the resilience pipeline did for one logical call, counted while the call runs: the usage middleware puts its
/// call's instance in <see cref="Current"/> (an async-local, so concurrent calls never share one) and
/// <see cref="RetryCountingObserver"/> adds to it from the same flow. Thread-safe. The usage middleware's own record of
/// the call derives from it (through <see cref="StepFlow"/>), so a call is one object, not one per concern.
/// </summary>
internal class CallStats
{
    private static readonly AsyncLocal<CallStats?> Slot = new();
    private int _retries;

    /// <summary>The stats of the call running on this flow, or <c>null</c> outside a recorded call.</summary>
    public static CallStats? Current
    {
        get => Slot.Value;
        set => Slot.Value = value;
    }

    /// <summary>Times the request was sent again: retries (stream restarts included), the next key, the next provider.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Counts one more attempt.</summary>
    public void AddRetry() => Interlocked.Increment(ref _retries);
}
