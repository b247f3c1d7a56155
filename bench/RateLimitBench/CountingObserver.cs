using SpecSynth.Middleware;
using SpecSynth.Providers;

namespace RateLimitBench;

/// <summary>Counts what the pipeline reports: rate-limit waits, retries and opened circuits.</summary>
internal sealed class CountingObserver : IResilienceObserver
{
    private int _waits;
    private int _retries;
    private int _opened;

    public int RateLimitWaits => Volatile.Read(ref _waits);

    public int Retries => Volatile.Read(ref _retries);

    public int CircuitsOpened => Volatile.Read(ref _opened);

    public void OnRateLimitWait(string provider, TimeSpan delay, string reason) => Interlocked.Increment(ref _waits);

    public void OnRetry(string provider, int attempt, TimeSpan delay, ProviderException reason) => Interlocked.Increment(ref _retries);

    public void OnCircuitOpened(string provider, TimeSpan breakDuration, ProviderException reason) => Interlocked.Increment(ref _opened);
}
