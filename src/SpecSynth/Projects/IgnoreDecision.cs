namespace SpecSynth.Projects;

/// <summary>What an ignore file says about a path.</summary>
internal enum IgnoreDecision
{
    /// <summary>No rule matched: ask the parent folder's ignore file.</summary>
    None,

    /// <summary>The last matching rule ignores the path.</summary>
    Ignored,

    /// <summary>The last matching rule is a negation (<c>!pattern</c>) and re-includes the path.</summary>
    Included,
}
