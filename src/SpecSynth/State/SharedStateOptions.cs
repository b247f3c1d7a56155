namespace SpecSynth.State;

/// <summary>The <c>[shared]</c> settings: state shared by a team or a CI fleet.</summary>
public sealed record SharedStateOptions
{
    /// <summary><c>[shared] redis</c>: a <c>redis://</c> URL holding the response cache (unless <c>[cache] url</c> names
    /// another), the rate-limit buckets and the team budget counters; <c>null</c> keeps all of it local. Used when the
    /// <c>SpecSynth.Redis</c> package is registered (else one warning and local state); it may contain a password: never
    /// print it.</summary>
    public string? Redis { get; init; }
}
