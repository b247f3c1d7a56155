namespace SpecSynth.Projects;

/// <summary>
/// The rules of one <c>.gitignore</c>-syntax file, compiled once (<see cref="GlobPattern"/>), with git's semantics
/// (its t0008 and t3070 cases are tests): comments, negation (<c>!</c>), directory-only (<c>dir/</c>), anchoring
/// (<c>/x</c> or any inner slash), <c>**</c>, <c>*</c>, <c>?</c>, bracket expressions with POSIX classes, backslash
/// escapes, and trailing spaces dropped unless escaped.
/// Paths are relative to the file's folder. Thread-safe once built.
/// </summary>
internal sealed class GitIgnore
{
    private readonly GitIgnoreRule[] _rules;

    private GitIgnore(GitIgnoreRule[] rules) => _rules = rules;

    public static GitIgnore Empty { get; } = new([]);

    public bool IsEmpty => _rules.Length == 0;

    public IReadOnlyList<GitIgnoreRule> Rules => _rules;

    public static GitIgnore Parse(string text) => Parse(text.Split('\n'));

    public static GitIgnore Parse(IEnumerable<string> lines)
    {
        var rules = new List<GitIgnoreRule>();
        foreach (var line in lines)
        {
            if (TryCompile(line.TrimEnd('\r'), out var rule))
            {
                rules.Add(rule);
            }
        }
        return new GitIgnore([.. rules]);
    }

    /// <summary>Concatenates two rule lists; rules of <paramref name="later"/> win over this one's.</summary>
    public GitIgnore Then(GitIgnore later) =>
        later.IsEmpty ? this : IsEmpty ? later : new GitIgnore([.. _rules, .. later._rules]);

    /// <summary>The decision of the last rule matching <paramref name="relativePath"/>, if any.</summary>
    public IgnoreDecision Match(string relativePath, bool isDirectory) => Match(relativePath.AsSpan(), isDirectory);

    /// <summary>The decision of the last rule matching <paramref name="relativePath"/>, if any.</summary>
    public IgnoreDecision Match(ReadOnlySpan<char> relativePath, bool isDirectory)
    {
        for (var i = _rules.Length - 1; i >= 0; i--)
        {
            if (_rules[i].Matches(relativePath, isDirectory))
            {
                return _rules[i].Negated ? IgnoreDecision.Included : IgnoreDecision.Ignored;
            }
        }
        return IgnoreDecision.None;
    }

    internal static bool TryCompile(string line, out GitIgnoreRule rule)
    {
        rule = null!;
        var p = TrimUnescapedTrailingSpaces(line);
        if (p.Length == 0 || p[0] == '#')
        {
            return false;
        }
        var negated = p[0] == '!';
        if (negated)
        {
            p = p[1..];
        }
        var directoryOnly = p.EndsWith('/') && !p.EndsWith("\\/", StringComparison.Ordinal);
        p = p.TrimEnd('/');
        if (p.Length == 0)
        {
            return false;
        }
        var anchored = p.Contains('/', StringComparison.Ordinal);
        p = p.TrimStart('/');
        var glob = p;
        rule = new GitIgnoreRule(line, GlobPattern.Compile(glob, anchored), negated, directoryOnly);
        return true;
    }

    /// <summary>Drops the trailing spaces that no backslash escapes, as git does (<c>a\\ </c> keeps no space: the backslash
    /// there is itself escaped).</summary>
    private static string TrimUnescapedTrailingSpaces(string line)
    {
        var lastSpace = -1;
        for (var i = 0; i < line.Length; i++)
        {
            switch (line[i])
            {
                case ' ':
                    if (lastSpace < 0)
                    {
                        lastSpace = i;
                    }
                    break;
                case '\\':
                    if (++i >= line.Length)
                    {
                        return line;
                    }
                    lastSpace = -1;
                    break;
                default:
                    lastSpace = -1;
                    break;
            }
        }
        return lastSpace < 0 ? line : line[..lastSpace];
    }
}
