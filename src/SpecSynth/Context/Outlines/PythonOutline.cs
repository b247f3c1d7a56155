using System.Text;
using System.Text.RegularExpressions;

namespace SpecSynth.Context.Outlines;

/// <summary>
/// A line-based outline of Python: imports, module-level assignments, <c>class</c> and <c>def</c> lines (with their
/// decorators, the comment lines right above them, multi-line signatures and their docstrings); bodies become
/// <c>...</c>.
/// </summary>
internal static partial class PythonOutline
{
    /// <summary>The outline of <paramref name="source"/>.</summary>
    public static string Build(string source)
    {
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var sb = new StringBuilder(source.Length / 3);
        var comments = new List<string>();
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith('#'))
            {
                comments.Add(line);
                i++;
                continue;
            }
            if (trimmed.Length == 0)
            {
                comments.Clear();
                i++;
                continue;
            }
            var indent = line.Length - trimmed.Length;
            if (Definition().IsMatch(trimmed) || trimmed.StartsWith('@'))
            {
                Flush(sb, comments);
                // The signature may run over several lines: up to the line ending with ':' outside brackets.
                var depth = 0;
                while (i < lines.Length)
                {
                    sb.Append(lines[i]).Append('\n');
                    depth += Depth(lines[i]);
                    var done = depth <= 0 && lines[i].TrimEnd().EndsWith(':') || lines[i].TrimStart().StartsWith('@') && depth <= 0;
                    i++;
                    if (done)
                    {
                        break;
                    }
                }
                if (trimmed.StartsWith('@'))
                {
                    continue; // the decorated definition follows
                }
                i = Docstring(lines, i, sb, indent);
                continue;
            }
            if (indent == 0 && (Import().IsMatch(trimmed) || Assignment().IsMatch(trimmed)))
            {
                Flush(sb, comments);
                sb.Append(line).Append('\n');
            }
            comments.Clear();
            i++;
        }
        return OutlineText.Tidy(sb.ToString());
    }

    // Keeps a docstring right after a definition, then writes "..." at the body's indentation.
    private static int Docstring(string[] lines, int i, StringBuilder sb, int indent)
    {
        var j = i;
        while (j < lines.Length && lines[j].Trim().Length == 0)
        {
            j++;
        }
        var bodyIndent = new string(' ', indent + 4);
        if (j < lines.Length)
        {
            var first = lines[j].TrimStart();
            bodyIndent = lines[j][..(lines[j].Length - first.Length)];
            var quote = first.StartsWith("\"\"\"", StringComparison.Ordinal) ? "\"\"\"" : first.StartsWith("'''", StringComparison.Ordinal) ? "'''" : null;
            if (quote is not null)
            {
                var closed = first.Length >= 6 && first.TrimEnd().EndsWith(quote, StringComparison.Ordinal);
                sb.Append(lines[j]).Append('\n');
                j++;
                while (!closed && j < lines.Length)
                {
                    closed = lines[j].Contains(quote, StringComparison.Ordinal);
                    sb.Append(lines[j]).Append('\n');
                    j++;
                }
                i = j;
            }
        }
        if (bodyIndent.Length > indent)
        {
            sb.Append(bodyIndent).Append("...\n");
        }
        return i;
    }

    private static int Depth(string line)
    {
        var depth = 0;
        foreach (var c in line)
        {
            depth += c is '(' or '[' or '{' ? 1 : c is ')' or ']' or '}' ? -1 : 0;
        }
        return depth;
    }

    private static void Flush(StringBuilder sb, List<string> comments)
    {
        foreach (var comment in comments)
        {
            sb.Append(comment).Append('\n');
        }
        comments.Clear();
    }

    [GeneratedRegex(@"^(async\s+)?(def|class)\s+\w")]
    private static partial Regex Definition();

    [GeneratedRegex(@"^(import|from)\s")]
    private static partial Regex Import();

    [GeneratedRegex(@"^[A-Za-z_][\w.]*\s*(:[^=]+)?=[^=]")]
    private static partial Regex Assignment();
}
