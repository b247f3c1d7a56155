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
        // A document title ("HTTP API Interface Design") is not a design section.
        var design = !excluded && level > 1 && RequirementHeadings.IsDesignLike(text);
        var inScope = !excluded && (RequirementHeadings.IsRequirementLike(text) || design || (parent?.InScope ?? false));
        var kiro = RequirementHeadings.KiroNumber(text) ?? parent?.KiroNumber;
        var plan = !excluded && (RequirementHeadings.IsPlanLike(text) || (parent?.Plan ?? false));
        _chain.Add(new Entry(level, text, inScope, excluded, kiro, design, plan, IsItem: !excluded && (parent?.Design ?? false)));
    }

    /// <summary>One heading on the chain.</summary>
    /// <param name="Level">The heading level.</param>
    /// <param name="Text">The heading text.</param>
    /// <param name="InScope">List items below are requirements.</param>
    /// <param name="Excluded">Nothing below is a requirement.</param>
    /// <param name="KiroNumber">The enclosing Kiro requirement number.</param>
    /// <param name="Design">A design or API section (components, interfaces, error handling, testing strategy, public API): its sub-headings are requirements.</param>
    /// <param name="Plan">A plan section: its numbered steps are requirements.</param>
    /// <param name="IsItem">This heading is itself an item of a design or API section.</param>
    internal sealed record Entry(int Level, string Text, bool InScope, bool Excluded, string? KiroNumber, bool Design, bool Plan, bool IsItem);
}
