namespace SpecSynth.Projects;

/// <summary>
/// The ignore files in effect for a folder: its own rules, then its parent's, up to the root. A deeper file
/// decides before a shallower one, as in git; within a file the last matching rule wins.
/// </summary>
internal sealed class IgnoreChain
{
    private readonly GitIgnore _rules;
    private readonly string _basePrefix;
    private readonly IgnoreChain? _parent;

    public IgnoreChain(GitIgnore rules, string basePrefix, IgnoreChain? parent)
    {
        _rules = rules;
        _basePrefix = basePrefix;
        _parent = parent;
    }

    /// <summary>Whether <paramref name="relativePath"/> (relative to the scan root) is ignored.</summary>
    public static bool IsIgnored(IgnoreChain? chain, ReadOnlySpan<char> relativePath, bool isDirectory)
    {
        for (var node = chain; node is not null; node = node._parent)
        {
            var local = relativePath[node._basePrefix.Length..];
            var decision = node._rules.Match(local, isDirectory);
            if (decision != IgnoreDecision.None)
            {
                return decision == IgnoreDecision.Ignored;
            }
        }
        return false;
    }
}
