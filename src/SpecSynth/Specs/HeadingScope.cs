namespace SpecSynth.Specs;

/// <summary>
/// The chain of headings above the current block, tracking whether list items there are requirements
/// (a requirement-like heading, or one nested under it, unless an excluded heading intervenes) and the
/// enclosing Kiro requirement number.
/// </summary>
internal sealed class HeadingScope
{
    private readonly List<Entry> _chain = [];

    /// <summary>The nearest heading above, or null before the first heading.</summary>
    public Entry? Current => _chain.Count > 0 ? _chain[^1] : null;

    /// <summary>The heading enclosing <see cref="Current"/>, or null.</summary>
    public Entry? Parent => _chain.Count > 1 ? _chain[^2] : null;

    /// <summary>Enters a heading: leaves those of the same or deeper level, then adds it.</summary>
    public void Enter(int level, string text)
    {
        while (_chain.Count > 0 && _chain[^1].Level >= level)
        {
            _chain.RemoveAt(_chain.Count - 1);
        }
        var parent = Current;
        var excluded = (parent?.Excluded ?? false) || RequirementHeadings.IsExcluded(text);
        var inScope = !excluded && (RequirementHeadings.IsRequirementLike(text) || (parent?.InScope ?? false));
        var kiro = RequirementHeadings.KiroNumber(text) ?? parent?.KiroNumber;
        _chain.Add(new Entry(level, text, inScope, excluded, kiro));
    }

    /// <summary>One heading on the chain.</summary>
    internal sealed record Entry(int Level, string Text, bool InScope, bool Excluded, string? KiroNumber);
}
