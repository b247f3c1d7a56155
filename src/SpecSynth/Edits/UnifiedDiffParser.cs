using System.Text;

namespace SpecSynth.Edits;

/// <summary>
/// Reads unified diff hunks (<c>--- a/x</c>, <c>+++ b/x</c>, <c>@@ … @@</c>) from a <c>```diff</c> fence as edits: each
/// hunk's context and removed lines are what to find, its context and added lines what to put there (line numbers in
/// the <c>@@</c> header are ignored: models get them wrong, the lines themselves are matched). <c>--- /dev/null</c>
/// creates a file.
/// </summary>
internal static class UnifiedDiffParser
{
    /// <summary>Whether the lines look like a unified diff (a hunk header, or a <c>---</c>/<c>+++</c> pair).</summary>
    public static bool IsDiff(IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith("@@ ", StringComparison.Ordinal) ||
                (lines[i].StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Count && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Parses the hunks, per file.</summary>
    /// <param name="lines">The fence's content lines.</param>
    /// <param name="path">The path the fence names (for hunks without <c>---</c>/<c>+++</c> headers), or <c>null</c>.</param>
    /// <param name="firstReplyLine">The 1-based reply line of <paramref name="lines"/>[0].</param>
    /// <param name="closed">Whether the fence was closed.</param>
    /// <param name="problems">Receives hunks that name no file.</param>
    public static List<FileEdits> Parse(IReadOnlyList<string> lines, string? path, int firstReplyLine, bool closed, List<string> problems)
    {
        var result = new List<(string Path, List<EditBlock> Blocks)>();
        var current = path;
        var i = 0;
        while (i < lines.Count)
        {
            var line = lines[i];
            if (line.StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Count && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                var oldPath = DiffPath(line[4..]);
                var newPath = DiffPath(lines[i + 1][4..]);
                current = newPath ?? oldPath;
                i += 2;
                continue;
            }
            if (!line.StartsWith("@@", StringComparison.Ordinal))
            {
                i++;
                continue;
            }
            var start = i;
            var search = new StringBuilder();
            var replace = new StringBuilder();
            for (i++; i < lines.Count; i++)
            {
                var l = lines[i];
                if (l.StartsWith("@@", StringComparison.Ordinal) ||
                    (l.StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Count && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal)) ||
                    l.StartsWith("diff ", StringComparison.Ordinal) || l.StartsWith("index ", StringComparison.Ordinal))
                {
                    break;
                }
                if (l.Length == 0)
                {
                    search.Append('\n');
                    replace.Append('\n');
                }
                else if (l[0] == ' ')
                {
                    search.Append(l, 1, l.Length - 1).Append('\n');
                    replace.Append(l, 1, l.Length - 1).Append('\n');
                }
                else if (l[0] == '-')
                {
                    search.Append(l, 1, l.Length - 1).Append('\n');
                }
                else if (l[0] == '+')
                {
                    replace.Append(l, 1, l.Length - 1).Append('\n');
                }
                else if (l[0] != '\\')
                {
                    break;
                }
            }
            if (current is null)
            {
                problems.Add($"line {firstReplyLine + start}: a diff hunk names no file (no ---/+++ header)");
                continue;
            }
            var entry = result.FindIndex(r => r.Path == current);
            if (entry < 0)
            {
                result.Add((current, []));
                entry = result.Count - 1;
            }
            var blocks = result[entry].Blocks;
            blocks.Add(new EditBlock(TrimBlankEdges(search.ToString(), replace.ToString(), out var r), r, blocks.Count + 1, firstReplyLine + start));
        }
        return [.. result.Select(r => new FileEdits(r.Path, r.Blocks, EditFormat.UnifiedDiff, closed))];
    }

    /// <summary>Blank lines at the end of a hunk are usually the gap before the closing fence, not context: dropped from both sides.</summary>
    private static string TrimBlankEdges(string search, string replace, out string trimmedReplace)
    {
        while (search.EndsWith("\n\n", StringComparison.Ordinal) && replace.EndsWith("\n\n", StringComparison.Ordinal))
        {
            search = search[..^1];
            replace = replace[..^1];
        }
        trimmedReplace = replace;
        return search;
    }

    private static string? DiffPath(string text)
    {
        var t = text.Trim();
        var tab = t.IndexOf('\t', StringComparison.Ordinal);
        t = tab >= 0 ? t[..tab] : t;
        if (t == "/dev/null" || t.Length == 0)
        {
            return null;
        }
        return t.StartsWith("a/", StringComparison.Ordinal) || t.StartsWith("b/", StringComparison.Ordinal) ? t[2..] : t;
    }
}
