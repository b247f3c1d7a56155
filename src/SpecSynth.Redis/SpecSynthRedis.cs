namespace SpecSynth;

/// <summary>State shared through Redis (<c>[shared] redis</c>, <c>[cache] url</c>): the response cache, rate-limit buckets
/// and team budgets, for a service built without a container:
/// <c>SpecSynthesizerFactory.Create(new SpecSynthOptions { SharedState = SpecSynthRedis.Backend })</c>. In a container,
/// <c>services.AddSpecSynthRedis()</c>.</summary>
public static class SpecSynthRedis
{
    /// <summary>Opens the Redis a configuration names (<see cref="SpecSynthOptions.SharedState"/>).</summary>
    public static SharedStateBackend Backend => RedisSharedStateBackend.Instance;
}
