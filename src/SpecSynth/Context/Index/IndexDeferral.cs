using System.Collections.Concurrent;

namespace SpecSynth.Context.Index;

/// <summary>
/// Decides, for a ranking that finds no usable index under <c>[context] index_build = "background"</c>, whether it ranks
/// without the index (the host builds it later, off the critical path) or builds it inline. Only the first such ranking of a
/// project in one host is deferred: a later one (a run of several specs, a long-lived host) shows the host lives on, and
/// builds it inline as before, so the other specs read it. While another process builds the index (its
/// <see cref="IndexBuildLock"/> is held) the ranking is deferred without asking the host for one more builder. Thread-safe.
/// </summary>
/// <param name="host">The host's answer (<see cref="SpecSynthOptions.DeferIndexBuild"/>): <c>true</c> when it builds the
/// index of the project folder it is given later.</param>
internal sealed class IndexDeferral(Func<string, bool> host)
{
    private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);

    /// <summary>Whether the ranking of the project at <paramref name="root"/>, whose index would be at
    /// <paramref name="indexPath"/>, ranks without it now.</summary>
    public bool Defer(string root, string indexPath)
    {
        if (!_seen.TryAdd(root, true))
        {
            return false;
        }
        return IndexBuildLock.IsHeld(indexPath) || host(root);
    }
}
