namespace SpecSynth.Middleware;

/// <summary>The observer of a pipeline nobody listens to.</summary>
internal sealed class NullResilienceObserver : IResilienceObserver
{
    /// <summary>The one instance (it has no state).</summary>
    public static NullResilienceObserver Instance { get; } = new();
}
