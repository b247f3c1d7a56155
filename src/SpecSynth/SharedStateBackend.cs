namespace SpecSynth;

/// <summary>
/// Where <c>[shared] redis</c> (and <c>[cache] url</c>) state lives: the response cache, the rate-limit buckets and the team
/// budget counters shared by every process using it. The <c>SpecSynth.Redis</c> package supplies it
/// (<c>services.AddSpecSynthRedis()</c>, or <c>SpecSynthRedis.Backend</c> in <see cref="SpecSynthOptions.SharedState"/>);
/// without it, a configured Redis gives one warning naming the package and the run keeps its state locally. Not meant to
/// be implemented outside specsynth's packages.
/// </summary>
public abstract class SharedStateBackend
{
    /// <summary>The warning when a configuration names a Redis but no backend is registered.</summary>
    internal const string MissingWarning =
        "[shared] redis / [cache] url is set but the SpecSynth.Redis package is not registered (add it and call services.AddSpecSynthRedis()): "
        + "the response cache, rate limits and budgets are kept locally";

    /// <summary>Only specsynth's packages derive from it.</summary>
    internal SharedStateBackend()
    {
    }

    /// <summary>The shared response cache at <paramref name="url"/>; nothing connects yet.</summary>
    /// <exception cref="SpecSynthException">Not a Redis URL (<see cref="ErrorKind.InvalidInput"/>).</exception>
    internal abstract Caching.ISharedResponseCache OpenCache(string url);

    /// <summary>Rate-limit buckets shared at <paramref name="url"/>; nothing connects yet.</summary>
    /// <param name="url">The server.</param>
    /// <param name="onWarning">Hears the one warning when it is lost (the buckets turn local).</param>
    internal abstract Middleware.ISharedRateLimits OpenRateLimits(string url, Action<string>? onWarning);

    /// <summary>The team's day and month budget counters at <paramref name="url"/>; nothing connects yet.</summary>
    internal abstract Budget.ISharedBudgetStore OpenBudget(string url);
}
