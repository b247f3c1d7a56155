using System.Globalization;
using System.Text;
using DiffPlex;
using DiffPlex.Model;

namespace SpecSynth.Output;

/// <summary>
/// Unified diffs of two texts, as <c>diff -u</c> and <c>git diff</c> print them, for <c>--dry-run</c>.
/// Lines are compared exactly (a <c>\r</c> before the <c>\n</c> is part of the line); the diff is minimal
/// (DiffPlex's Myers) and applies with <c>patch -p1</c> or <c>git apply</c>.
/// </summary>
internal static class UnifiedDiff
{
    private enum Op
    {
        Equal,
        Delete,
        Insert,
    }

    /// <summary>Creates a unified diff from <paramref name="oldText"/> to <paramref name="newText"/>.</summary>
    /// <param name="oldPath">Relative path of the old file; printed as <c>--- a/&lt;oldPath&gt;</c>.</param>
    /// <param name="newPath">Relative path of the new file; printed as <c>+++ b/&lt;newPath&gt;</c>.</param>
    /// <param name="oldText">The old text, or <c>null</c> when the file is created (printed as <c>--- /dev/null</c>).</param>
    /// <param name="newText">The new text.</param>
    /// <param name="context">Lines of unchanged context around each change (default 3, as <c>diff -u</c>).</param>
    /// <returns>
    /// The diff, every line ending in <c>\n</c>; hunks as <c>@@ -l,c +l,c @@</c> (a count of 1 is left out, as
    /// GNU diff does), and <c>\ No newline at end of file</c> after a last line without one. Empty when the texts
    /// are equal; only the two header lines for a created empty file.
    /// </returns>
    public static string Create(string oldPath, string newPath, string? oldText, string newText, int context = 3)
    {
        ArgumentNullException.ThrowIfNull(oldPath);
        ArgumentNullException.ThrowIfNull(newPath);
        ArgumentNullException.ThrowIfNull(newText);
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        if (oldText == newText)
        {
            return "";
        }
        var a = Lines.Split(oldText ?? "");
        var b = Lines.Split(newText);
        var blocks = Differ.Instance.CreateDiffs(oldText ?? "", newText, false, false, ExactLineChunker.Instance).DiffBlocks;
        var ops = Script(blocks, a.Count);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldText is null ? "/dev/null" : "a/" + oldPath).Append('\n');
        sb.Append("+++ b/").Append(newPath).Append('\n');
        foreach (var (start, end) in Hunks(ops, context))
        {
            AppendHunk(sb, ops, start, end, a, b);
        }
        return sb.ToString();
    }

    /// <summary>The edit script: for each step, the operation and the old and new line indices before it.</summary>
    private static List<(Op Op, int A, int B)> Script(IList<DiffBlock> blocks, int aCount)
    {
        var ops = new List<(Op Op, int A, int B)>();
        int i = 0, j = 0;
        foreach (var block in blocks.OrderBy(d => d.DeleteStartA))
        {
            while (i < block.DeleteStartA)
            {
                ops.Add((Op.Equal, i++, j++));
            }
            for (var k = 0; k < block.DeleteCountA; k++)
            {
                ops.Add((Op.Delete, i++, j));
            }
            for (var k = 0; k < block.InsertCountB; k++)
            {
                ops.Add((Op.Insert, i, j++));
            }
        }
        while (i < aCount)
        {
            ops.Add((Op.Equal, i++, j++));
        }
        return ops;
    }

    /// <summary>Op index ranges [start, end) of each hunk; changes at most 2×context lines apart share a hunk.</summary>
    private static IEnumerable<(int Start, int End)> Hunks(List<(Op Op, int A, int B)> ops, int context)
    {
        var i = 0;
        while (i < ops.Count)
        {
            while (i < ops.Count && ops[i].Op == Op.Equal)
            {
                i++;
            }
            if (i == ops.Count)
            {
                yield break;
            }
            var start = Math.Max(0, i - context);
            var lastChange = i;
            for (var k = i + 1; k < ops.Count && k - lastChange <= 2 * context + 1; k++)
            {
                if (ops[k].Op != Op.Equal)
                {
                    lastChange = k;
                }
            }
            var end = Math.Min(ops.Count, lastChange + context + 1);
            yield return (start, end);
            i = end;
        }
    }

    private static void AppendHunk(StringBuilder sb, List<(Op Op, int A, int B)> ops, int start, int end, Lines a, Lines b)
    {
        int oldCount = 0, newCount = 0;
        for (var k = start; k < end; k++)
        {
            oldCount += ops[k].Op == Op.Insert ? 0 : 1;
            newCount += ops[k].Op == Op.Delete ? 0 : 1;
        }
        sb.Append("@@ -").Append(Range(ops[start].A, oldCount)).Append(" +").Append(Range(ops[start].B, newCount)).Append(" @@\n");
        for (var k = start; k < end; k++)
        {
            var (op, ia, ib) = ops[k];
            var (prefix, lines, index) = op switch
            {
                Op.Delete => ('-', a, ia),
                Op.Insert => ('+', b, ib),
                _ => (' ', a, ia),
            };
            sb.Append(prefix).Append(lines.Text(index)).Append('\n');
            if (index == lines.Count - 1 && !lines.EndsWithNewline)
            {
                sb.Append("\\ No newline at end of file\n");
            }
        }
    }

    private static string Range(int before, int count) => count switch
    {
        0 => before.ToString(CultureInfo.InvariantCulture) + ",0",
        1 => (before + 1).ToString(CultureInfo.InvariantCulture),
        _ => (before + 1).ToString(CultureInfo.InvariantCulture) + "," + count.ToString(CultureInfo.InvariantCulture),
    };
}
