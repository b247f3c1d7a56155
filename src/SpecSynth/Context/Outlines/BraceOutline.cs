using System.Text;
using System.Text.RegularExpressions;

namespace SpecSynth.Context.Outlines;

/// <summary>
/// A line-and-brace heuristic outline for C-family languages (JavaScript, TypeScript, Java, Kotlin, Go, Rust, C, C++,
/// Swift, PHP, Scala, Dart...): everything outside function bodies is kept (imports, declarations, type and class
/// members, comments and doc comments) and every function body becomes <c>{ … }</c>. A brace opens a function body
/// when the text before it (since the last <c>;</c>, <c>{</c> or <c>}</c>) declares a function (<c>fn</c>,
/// <c>func</c>, <c>function</c>, an arrow <c>=&gt;</c>, or a parameter list <c>)</c> that is not a type
/// declaration); type, namespace and object bodies stay open so their members are outlined in turn. Strings,
/// character literals and comments are skipped when braces are counted.
/// </summary>
internal static partial class BraceOutline
{
    /// <summary>The outline of <paramref name="source"/>; <paramref name="rust"/> reads <c>'a</c> as a lifetime, not a character.</summary>
    public static string Build(string source, bool rust = false)
    {
        var sb = new StringBuilder(source.Length / 2);
        var header = new StringBuilder();
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            var skip = SkipLiteralOrComment(source, i, rust);
            if (skip > i)
            {
                sb.Append(source, i, skip - i);
                if (source[i] != '/')
                {
                    header.Append(source, i, skip - i); // strings are part of a header; comments are not
                }
                i = skip;
                continue;
            }
            if (c == '{' && IsFunctionHeader(header.ToString()))
            {
                sb.Append("{ … }");
                i = SkipBlock(source, i, rust);
                header.Clear();
                continue;
            }
            sb.Append(c);
            if (c is ';' or '{' or '}')
            {
                header.Clear();
            }
            else
            {
                header.Append(c);
            }
            i++;
        }
        return OutlineText.Tidy(sb.ToString());
    }

    /// <summary>Whether the text before a <c>{</c> starts a function (or control-flow) body rather than a type, namespace
    /// or object body.</summary>
    internal static bool IsFunctionHeader(string header)
    {
        var text = header.Trim();
        if (FunctionKeyword().IsMatch(text) || text.Contains("=>", StringComparison.Ordinal))
        {
            return true;
        }
        if (ContainerKeyword().IsMatch(text))
        {
            return false;
        }
        return text.EndsWith(')') || (text.Contains(')', StringComparison.Ordinal) && !text.Contains('=', StringComparison.Ordinal))
            || BlockKeyword().IsMatch(text);
    }

    /// <summary>The index just past the block that opens at <paramref name="open"/> (or the end of the text).</summary>
    private static int SkipBlock(string source, int open, bool rust)
    {
        var depth = 0;
        var i = open;
        while (i < source.Length)
        {
            var skip = SkipLiteralOrComment(source, i, rust);
            if (skip > i)
            {
                i = skip;
                continue;
            }
            if (source[i] == '{')
            {
                depth++;
            }
            else if (source[i] == '}' && --depth == 0)
            {
                return i + 1;
            }
            i++;
        }
        return source.Length;
    }

    /// <summary>When a string, character literal or comment starts at <paramref name="i"/>, the index just past it; else <paramref name="i"/>.</summary>
    private static int SkipLiteralOrComment(string s, int i, bool rust)
    {
        var c = s[i];
        if (c == '/' && i + 1 < s.Length)
        {
            if (s[i + 1] == '/')
            {
                var end = s.IndexOf('\n', i);
                return end < 0 ? s.Length : end;
            }
            if (s[i + 1] == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                return end < 0 ? s.Length : end + 2;
            }
            return i;
        }
        if (c is '"' or '`')
        {
            return EndOfQuoted(s, i, c);
        }
        if (c == '\'')
        {
            if (rust && !(i + 2 < s.Length && (s[i + 2] == '\'' || s[i + 1] == '\\')))
            {
                return i; // a lifetime ('a) or a label, not a character literal
            }
            return EndOfQuoted(s, i, c);
        }
        return i;
    }

    private static int EndOfQuoted(string s, int i, char quote)
    {
        for (var j = i + 1; j < s.Length; j++)
        {
            if (s[j] == '\\')
            {
                j++;
            }
            else if (s[j] == quote)
            {
                return j + 1;
            }
            else if (s[j] == '\n' && quote != '`')
            {
                return j; // an unterminated literal ends at the line's end
            }
        }
        return s.Length;
    }

    [GeneratedRegex(@"(^|[^\w$.])(fn|fun|func|function|def)\b")]
    private static partial Regex FunctionKeyword();

    [GeneratedRegex(@"(^|[^\w$.])(class|struct|interface|enum|namespace|impl|trait|mod|module|object|record|union|extern|protocol|extension|package|companion)\b")]
    private static partial Regex ContainerKeyword();

    [GeneratedRegex(@"(^|[\s}])(else|try|finally|do|get|set|init|add|remove|unsafe|loop|defer|static)\s*$")]
    private static partial Regex BlockKeyword();
}
