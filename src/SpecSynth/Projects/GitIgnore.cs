using System.Text;
using System.Text.RegularExpressions;

namespace SpecSynth.Projects;

/// <summary>
/// The rules of one <c>.gitignore</c>-syntax file, compiled once (<see cref="GlobPattern"/>). Supports comments,
/// negation (<c>!</c>), directory-only (<c>dir/</c>), anchoring (<c>/x</c> or any inner slash), <c>**</c>,
/// <c>*</c>, <c>?</c>, bracket expressions (<c>[abc]</c>, <c>[a-z]</c>, <c>[!x]</c>) and backslash escapes.
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
    public IgnoreDecision Match(string relativePath, bool isDirectory)
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
        rule = new GitIgnoreRule(line, GlobPattern.Compile(glob, anchored, () => GlobToRegex(glob)), negated, directoryOnly);
        return true;
    }

    private static string TrimUnescapedTrailingSpaces(string line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] == ' ' && !(end > 1 && line[end - 2] == '\\'))
        {
            end--;
        }
        return line[..end];
    }

    private static string GlobToRegex(string p)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < p.Length)
        {
            var c = p[i];
            switch (c)
            {
                case '*':
                    i = AppendStars(p, i, sb);
                    break;
                case '?':
                    sb.Append("[^/]");
                    i++;
                    break;
                case '[':
                    i = BracketExpression.TryAppend(p, i, sb) ?? AppendLiteral('[', i, sb);
                    break;
                case '\\' when i + 1 < p.Length:
                    i = AppendLiteral(p[i + 1], i + 1, sb);
                    break;
                default:
                    i = AppendLiteral(c, i, sb);
                    break;
            }
        }
        return sb.ToString();
    }

    private static int AppendLiteral(char c, int i, StringBuilder sb)
    {
        sb.Append(Regex.Escape(c.ToString()));
        return i + 1;
    }

    private static int AppendStars(string p, int i, StringBuilder sb)
    {
        var end = i;
        while (end < p.Length && p[end] == '*')
        {
            end++;
        }
        var isDoubleStar = end - i >= 2;
        var startsSegment = i == 0 || p[i - 1] == '/';
        var endsSegment = end == p.Length || p[end] == '/';
        if (isDoubleStar && startsSegment && end == p.Length)
        {
            sb.Append(".*");
            return end;
        }
        if (isDoubleStar && startsSegment && endsSegment)
        {
            sb.Append("(?:.*/)?");
            return end + 1;
        }
        sb.Append("[^/]*");
        return end;
    }
}
