namespace SpecSynth.Projects;

/// <summary>
/// One ignore-file pattern, matched against a <c>/</c>-separated path relative to the ignore file's folder. The common
/// shapes are compared as strings (a bare name <c>build</c>, <c>*.log</c>, <c>.#*</c>, an anchored <c>/out</c> or
/// <c>/_*</c>), which is what keeps a walk over tens of thousands of files fast; every other pattern is git's own
/// <see cref="Wildmatch"/>, on the whole path when anchored, else on its last segment. Thread-safe.
/// </summary>
internal sealed class GlobPattern
{
    private readonly Kind _kind;
    private readonly string _literal;

    private GlobPattern(Kind kind, string literal)
    {
        _kind = kind;
        _literal = literal;
    }

    private enum Kind
    {
        /// <summary>The last segment equals the literal (unanchored, no wildcard).</summary>
        Name,

        /// <summary>The last segment ends with the literal (<c>*.log</c>).</summary>
        NameSuffix,

        /// <summary>The last segment starts with the literal (<c>.#*</c>).</summary>
        NamePrefix,

        /// <summary>The whole path equals the literal (anchored, no wildcard).</summary>
        Path,

        /// <summary>The path starts with the literal and has no further <c>/</c> (<c>/_*</c>).</summary>
        PathPrefix,

        /// <summary>Anything else, unanchored: wildmatch on the last segment.</summary>
        WildName,

        /// <summary>Anything else, anchored: wildmatch on the whole path.</summary>
        WildPath,
    }

    /// <summary>Compiles <paramref name="glob"/> (no leading or trailing <c>/</c>).</summary>
    /// <param name="glob">The pattern body.</param>
    /// <param name="anchored">Whether it matches from the ignore file's folder only (it contained a <c>/</c>).</param>
    public static GlobPattern Compile(string glob, bool anchored)
    {
        const string Wildcards = "*?[\\";
        var wild = glob.AsSpan().IndexOfAny(Wildcards);
        if (wild < 0)
        {
            return new GlobPattern(anchored ? Kind.Path : Kind.Name, glob);
        }
        if (!anchored && wild == 0 && glob[0] == '*' && glob.Length > 1 && glob.AsSpan(1).IndexOfAny(Wildcards) < 0)
        {
            return new GlobPattern(Kind.NameSuffix, glob[1..]);
        }
        if (wild == glob.Length - 1 && glob[^1] == '*' && glob.Length > 1)
        {
            return new GlobPattern(anchored ? Kind.PathPrefix : Kind.NamePrefix, glob[..^1]);
        }
        return new GlobPattern(anchored ? Kind.WildPath : Kind.WildName, glob);
    }

    /// <summary>Whether <paramref name="path"/> matches.</summary>
    public bool IsMatch(string path) => IsMatch(path.AsSpan());

    /// <summary>Whether <paramref name="path"/> matches (a slice of a longer path: no copy is made).</summary>
    public bool IsMatch(ReadOnlySpan<char> path) => _kind switch
    {
        Kind.Name => path.Length == _literal.Length
            ? path.Equals(_literal, StringComparison.Ordinal)
            : path.Length > _literal.Length && path[^(_literal.Length + 1)] == '/' && path.EndsWith(_literal, StringComparison.Ordinal),
        Kind.NameSuffix => LastSegment(path).EndsWith(_literal, StringComparison.Ordinal),
        Kind.NamePrefix => LastSegment(path).StartsWith(_literal, StringComparison.Ordinal),
        Kind.Path => path.Equals(_literal, StringComparison.Ordinal),
        Kind.PathPrefix => path.StartsWith(_literal, StringComparison.Ordinal) && path[_literal.Length..].IndexOf('/') < 0,
        Kind.WildName => Wildmatch.IsMatch(_literal, LastSegment(path)),
        _ => Wildmatch.IsMatch(_literal, path),
    };

    private static ReadOnlySpan<char> LastSegment(ReadOnlySpan<char> path) => path[(path.LastIndexOf('/') + 1)..];
}
