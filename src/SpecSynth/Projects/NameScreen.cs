namespace SpecSynth.Projects;

/// <summary>
/// A cheap check before a case-insensitive lookup in a fixed set of names: whether a name could be one of them (or, for
/// prefixes, start with one) by its length and its ASCII character at one position, either case. It never turns away a
/// name the lookup would find: ordinal-ignore-case matches have the same length (the prefix's, at least), an ASCII
/// character matches only itself in either case, and any non-ASCII character there is let through to the lookup.
/// </summary>
internal readonly struct NameScreen
{
    private readonly int _position;
    private readonly int _minLength;
    private readonly int _maxLength;
    private readonly ulong _low;
    private readonly ulong _high;
    private readonly bool _anyCharacter;

    /// <summary>A screen for <paramref name="names"/> that looks at the character at <paramref name="position"/>;
    /// <paramref name="prefixes"/>: the names are prefixes (no upper bound on the length).</summary>
    public NameScreen(IEnumerable<string> names, int position, bool prefixes = false)
    {
        ArgumentNullException.ThrowIfNull(names);
        _position = position;
        _minLength = int.MaxValue;
        _maxLength = prefixes ? int.MaxValue : 0;
        foreach (var name in names)
        {
            _minLength = Math.Min(_minLength, name.Length);
            _maxLength = Math.Max(_maxLength, name.Length);
            if (name.Length <= position || name[position] >= 128)
            {
                _anyCharacter = true;
                continue;
            }
            var lower = char.ToLowerInvariant(name[position]);
            var upper = char.ToUpperInvariant(name[position]);
            _low |= Bit(lower, 0) | Bit(upper, 0);
            _high |= Bit(lower, 64) | Bit(upper, 64);
        }
    }

    /// <summary>Whether <paramref name="name"/> may be in the set (<c>false</c>: it certainly is not).</summary>
    public bool Admits(ReadOnlySpan<char> name)
    {
        if (name.Length < _minLength || name.Length > _maxLength)
        {
            return false;
        }
        if (_anyCharacter)
        {
            return true;
        }
        // Every name is longer than the position (else _anyCharacter), so this one is too.
        var c = name[_position];
        return c >= 128 || ((Bit(c, 0) & _low) | (Bit(c, 64) & _high)) != 0;
    }

    /// <summary>The bit of <paramref name="c"/> in the 64-character word that starts at <paramref name="from"/> (0 when it is not in it).</summary>
    private static ulong Bit(char c, int from) => c >= from && c < from + 64 ? 1UL << (c - from) : 0;
}
