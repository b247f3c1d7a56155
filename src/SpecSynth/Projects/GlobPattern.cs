using System.Text.RegularExpressions;

namespace SpecSynth.Projects;

/// <summary>
/// One ignore-file pattern, matched against a <c>/</c>-separated path relative to the ignore file's folder. The common
/// shapes are compared as strings (a bare name <c>build</c>, <c>*.log</c>, <c>.#*</c>, an anchored <c>/out</c> or
/// <c>/_*</c>), which is what keeps a walk over tens of thousands of files fast; every other pattern is a regular
/// expression, interpreted (building a non-backtracking one costs about 10 ms, which a tree with a few dozen such
/// patterns cannot afford) and bounded by <see cref="MatchTimeout"/>: a pattern that would take longer matches nothing.
/// Thread-safe.
/// </summary>
internal sealed class GlobPattern
{
    /// <summary>The longest a regular-expression pattern may take on one path.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Kind _kind;
    private readonly string _literal;
    private readonly Regex? _regex;

    private GlobPattern(Kind kind, string literal, Regex? regex)
    {
        _kind = kind;
        _literal = literal;
        _regex = regex;
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

        /// <summary>Anything else: the regular expression decides.</summary>
        Regex,
    }

    /// <summary>Compiles <paramref name="glob"/> (no leading or trailing <c>/</c>).</summary>
    /// <param name="glob">The pattern body.</param>
    /// <param name="anchored">Whether it matches from the ignore file's folder only (it contained a <c>/</c>).</param>
    /// <param name="regexBody">The pattern as a regular expression body, used when no string comparison fits.</param>
    public static GlobPattern Compile(string glob, bool anchored, Func<string> regexBody)
    {
        const string Wildcards = "*?[\\";
        var wild = glob.AsSpan().IndexOfAny(Wildcards);
        if (wild < 0)
        {
            return new GlobPattern(anchored ? Kind.Path : Kind.Name, glob, null);
        }
        if (!anchored && wild == 0 && glob[0] == '*' && glob.Length > 1 && glob.AsSpan(1).IndexOfAny(Wildcards) < 0)
        {
            return new GlobPattern(Kind.NameSuffix, glob[1..], null);
        }
        if (wild == glob.Length - 1 && glob[^1] == '*' && glob.Length > 1)
        {
            return new GlobPattern(anchored ? Kind.PathPrefix : Kind.NamePrefix, glob[..^1], null);
        }
        var pattern = (anchored ? "^" : "^(?:.*/)?") + regexBody() + @"\z";
        return new GlobPattern(Kind.Regex, glob, new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout));
    }

    /// <summary>Whether <paramref name="path"/> matches.</summary>
    public bool IsMatch(string path)
    {
        switch (_kind)
        {
            case Kind.Name:
                return path.Length == _literal.Length
                    ? path == _literal
                    : path.Length > _literal.Length && path[^(_literal.Length + 1)] == '/' && path.EndsWith(_literal, StringComparison.Ordinal);
            case Kind.NameSuffix:
                return LastSegment(path).EndsWith(_literal, StringComparison.Ordinal);
            case Kind.NamePrefix:
                return LastSegment(path).StartsWith(_literal, StringComparison.Ordinal);
            case Kind.Path:
                return path == _literal;
            case Kind.PathPrefix:
                return path.StartsWith(_literal, StringComparison.Ordinal) && path.IndexOf('/', _literal.Length) < 0;
            default:
                try
                {
                    return _regex!.IsMatch(path);
                }
                catch (RegexMatchTimeoutException)
                {
                    return false;
                }
        }
    }

    private static ReadOnlySpan<char> LastSegment(string path) => path.AsSpan(path.LastIndexOf('/') + 1);
}
