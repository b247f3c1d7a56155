using System.Globalization;
using System.Text;

namespace SpecSynth.Edits;

/// <summary>
/// Applies a file's edits in memory, exactly or not at all. Line endings are normalised for matching; the result keeps
/// the file's own line ending (<c>\r\n</c> when it has any) and whether it ends with one. Every SEARCH is matched against
/// the original: exactly once, else (ignoring all whitespace, blank edge lines dropped) still exactly once, the
/// replacement re-indented by the difference; no match, several matches or overlapping blocks refuse the whole file with
/// a message per block naming the nearest real lines. An empty SEARCH creates a file that does not exist (or is empty).
/// Linear in the file's lines per block (a 10,000-line file applies in well under a millisecond).
/// </summary>
internal static class EditApplier
{
    /// <summary>The most lines a "nearest lines" excerpt shows.</summary>
    public const int MaxExcerptLines = 12;

    /// <summary>Applies <paramref name="blocks"/> to <paramref name="original"/> (<c>null</c>: the file does not exist).</summary>
    /// <param name="path">The file's path (for messages).</param>
    /// <param name="original">The current content, or <c>null</c>.</param>
    /// <param name="blocks">The edits, in reply order.</param>
    public static EditResult Apply(string path, string? original, IReadOnlyList<EditBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(blocks);
        var of = blocks.Count == 1 ? "" : $" of {blocks.Count}";
        if (string.IsNullOrWhiteSpace(original))
        {
            var searching = blocks.Where(b => b.Search.Trim().Length > 0).ToList();
            if (searching.Count > 0)
            {
                var what = original is null ? "does not exist" : "is empty";
                return Refused([.. searching.Select(b => $"block {b.Number}{of} for {path} (reply line {b.ReplyLine}) searches for lines, but the file {what}; " +
                    "send it whole, or with an empty SEARCH to create it")]);
            }
            return new EditResult(string.Concat(blocks.Select(b => b.Replace)), EditOutcome.Exact, []);
        }
        var eol = original.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var finalNewline = original.EndsWith('\n');
        if (ExactText(original, blocks, eol, finalNewline) is { } fast)
        {
            return new EditResult(fast, EditOutcome.Exact, []);
        }
        var lines = SplitLines(original);
        string[]? squeezed = null;
        var ranges = new List<(int Start, int Length, List<string> Replace, EditBlock Block)>(blocks.Count);
        var problems = new List<string>();
        var fuzzy = false;
        foreach (var block in blocks)
        {
            var search = SplitLines(block.Search);
            var replace = SplitLines(block.Replace);
            var name = $"block {block.Number}{of} for {path} (reply line {block.ReplyLine})";
            if (search.All(l => l.Trim().Length == 0))
            {
                problems.Add($"{name} has an empty SEARCH, but the file exists ({lines.Count} lines); an empty SEARCH only creates a new file. " +
                    "Copy the lines to change into SEARCH");
                continue;
            }
            var exact = Find(lines, search, static (a, b) => a == b);
            if (exact.Count == 1)
            {
                ranges.Add((exact[0], search.Count, replace, block));
                continue;
            }
            if (exact.Count > 1)
            {
                problems.Add($"{name} matches {Places(exact, search.Count)}; add surrounding lines to SEARCH so it matches exactly once");
                continue;
            }
            squeezed ??= [.. lines.Select(Squeeze)];
            var (trimmed, lead, trail) = TrimBlankEdges(search);
            var squeezedSearch = trimmed.Select(Squeeze).ToList();
            var loose = Find(squeezed, squeezedSearch, static (a, b) => a == b);
            if (loose.Count == 1)
            {
                fuzzy = true;
                var kept = replace.Skip(Math.Min(lead, LeadingBlanks(replace))).ToList();
                kept = kept.Take(kept.Count - Math.Min(trail, TrailingBlanks(kept))).ToList();
                ranges.Add((loose[0], trimmed.Count, Reindent(kept, trimmed, lines, loose[0]), block));
                continue;
            }
            problems.Add(loose.Count > 1
                ? $"{name} matches {Places(loose, trimmed.Count)} when whitespace is ignored, and nowhere exactly; copy the lines exactly and add surrounding lines so it matches once"
                : $"{name} did not match: its {search.Count} SEARCH lines do not occur in the file, not even ignoring whitespace. {Nearest(lines, squeezed, squeezedSearch)}");
        }
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < ranges.Count; i++)
        {
            var (before, after) = (ranges[i - 1], ranges[i]);
            if (after.Start < before.Start + before.Length)
            {
                problems.Add($"block {after.Block.Number}{of} for {path} overlaps block {before.Block.Number} (lines {before.Start + 1}-{before.Start + before.Length} " +
                    $"and {after.Start + 1}-{after.Start + after.Length}); every SEARCH must match the file as it is now, so merge them into one block");
            }
        }
        if (problems.Count > 0)
        {
            return Refused(problems);
        }
        var result = new StringBuilder(original.Length + 256);
        var next = 0;
        var count = 0;
        foreach (var (start, length, replaceLines, _) in ranges)
        {
            for (; next < start; next++)
            {
                AppendLine(result, lines[next], eol, ref count);
            }
            foreach (var line in replaceLines)
            {
                AppendLine(result, line, eol, ref count);
            }
            next = start + length;
        }
        for (; next < lines.Count; next++)
        {
            AppendLine(result, lines[next], eol, ref count);
        }
        if (finalNewline && count > 0)
        {
            result.Append(eol);
        }
        return new EditResult(result.ToString(), fuzzy ? EditOutcome.Fuzzy : EditOutcome.Exact, []);
    }

    private static EditResult Refused(IReadOnlyList<string> problems) => new(null, EditOutcome.Refused, problems);

    /// <summary>The fast path, on the text itself (no line list): when every SEARCH occurs exactly once, at line starts, and no two
    /// overlap, the result; else <c>null</c> (the line-based path then decides, with its messages). Gives the same result as the
    /// line-based path: lines joined with the file's line ending, its final newline kept.</summary>
    private static string? ExactText(string original, IReadOnlyList<EditBlock> blocks, string eol, bool finalNewline)
    {
        var text = original.Contains('\r', StringComparison.Ordinal) ? original.Replace("\r\n", "\n", StringComparison.Ordinal) : original;
        if (text.Contains('\r', StringComparison.Ordinal))
        {
            return null;
        }
        if (!finalNewline)
        {
            text += "\n";
        }
        var ranges = new List<(int Start, int End, string Replace)>(blocks.Count);
        foreach (var block in blocks)
        {
            var search = Normalised(block.Search);
            if (search.Trim().Length == 0)
            {
                return null;
            }
            var at = AtLineStart(text, search, 0);
            if (at < 0 || AtLineStart(text, search, at + 1) >= 0)
            {
                return null;
            }
            ranges.Add((at, at + search.Length, Normalised(block.Replace)));
        }
        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        var sb = new StringBuilder(text.Length + ranges.Sum(r => r.Replace.Length));
        var next = 0;
        foreach (var (start, end, replace) in ranges)
        {
            if (start < next)
            {
                return null;
            }
            sb.Append(text, next, start - next).Append(replace);
            next = end;
        }
        sb.Append(text, next, text.Length - next);
        if (!finalNewline && sb.Length > 0 && sb[^1] == '\n')
        {
            sb.Length--;
        }
        var result = sb.ToString();
        return eol == "\n" ? result : result.Replace("\n", eol, StringComparison.Ordinal);
    }

    /// <summary>Lines ended by <c>\n</c> (a last line without one gets it), <c>\r\n</c> normalised.</summary>
    private static string Normalised(string lines)
    {
        var text = lines.Replace("\r\n", "\n", StringComparison.Ordinal);
        return text.Length == 0 || text.EndsWith('\n') ? text : text + "\n";
    }

    /// <summary>The first occurrence of <paramref name="search"/> from <paramref name="from"/> that starts a line, or -1.</summary>
    private static int AtLineStart(string text, string search, int from)
    {
        while (from <= text.Length - search.Length)
        {
            var at = text.IndexOf(search, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }
            if (at == 0 || text[at - 1] == '\n')
            {
                return at;
            }
            from = at + 1;
        }
        return -1;
    }

    private static void AppendLine(StringBuilder sb, string line, string eol, ref int count)
    {
        if (count++ > 0)
        {
            sb.Append(eol);
        }
        sb.Append(line);
    }

    /// <summary>The lines of a text, without line breaks; a final line break does not start an extra empty line.</summary>
    internal static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        if (text.Length == 0)
        {
            return lines;
        }
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i > start && text[i - 1] == '\r' ? i - 1 : i)]);
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            lines.Add(text[start..].TrimEnd('\r'));
        }
        return lines;
    }

    /// <summary>The starts of the places <paramref name="search"/> occurs in <paramref name="lines"/> (at most 5).</summary>
    private static List<int> Find(IReadOnlyList<string> lines, IReadOnlyList<string> search, Func<string, string, bool> equal)
    {
        var found = new List<int>();
        if (search.Count == 0)
        {
            return found;
        }
        var first = search[0];
        for (var i = 0; i + search.Count <= lines.Count && found.Count < 5; i++)
        {
            if (!equal(lines[i], first))
            {
                continue;
            }
            var k = 1;
            while (k < search.Count && equal(lines[i + k], search[k]))
            {
                k++;
            }
            if (k == search.Count)
            {
                found.Add(i);
            }
        }
        return found;
    }

    private static string Squeeze(string line)
    {
        var sb = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static (List<string> Lines, int Lead, int Trail) TrimBlankEdges(List<string> lines)
    {
        var lead = LeadingBlanks(lines);
        var rest = lines.Skip(lead).ToList();
        var trail = TrailingBlanks(rest);
        return (rest.Take(rest.Count - trail).ToList(), lead, trail);
    }

    private static int LeadingBlanks(List<string> lines)
    {
        var n = 0;
        while (n < lines.Count && lines[n].Trim().Length == 0)
        {
            n++;
        }
        return n;
    }

    private static int TrailingBlanks(List<string> lines)
    {
        var n = 0;
        while (n < lines.Count && lines[lines.Count - 1 - n].Trim().Length == 0)
        {
            n++;
        }
        return n;
    }

    /// <summary>When the SEARCH matched with other indentation, moves the replacement by the same difference (first non-blank line).</summary>
    private static List<string> Reindent(List<string> replace, List<string> search, List<string> lines, int start)
    {
        var s = search.FindIndex(l => l.Trim().Length > 0);
        if (s < 0)
        {
            return replace;
        }
        var actual = Indent(lines[start + s]);
        var written = Indent(search[s]);
        if (actual == written)
        {
            return replace;
        }
        // Tabs written for an indentation of spaces: each leading tab becomes that many spaces.
        if (written.Length > 0 && written.All(c => c == '\t') && actual.Length > 0 && actual.All(c => c == ' ') && actual.Length % written.Length == 0)
        {
            var unit = new string(' ', actual.Length / written.Length);
            return [.. replace.Select(l =>
            {
                var tabs = 0;
                while (tabs < l.Length && l[tabs] == '\t')
                {
                    tabs++;
                }
                return string.Concat(Enumerable.Repeat(unit, tabs)) + l[tabs..];
            })];
        }
        return [.. replace.Select(l => l.Trim().Length == 0 ? l
            : written.Length > 0 && l.StartsWith(written, StringComparison.Ordinal) ? actual + l[written.Length..]
            : written.Length == 0 ? actual + l
            : l)];
    }

    private static string Indent(string line) => line[..(line.Length - line.TrimStart().Length)];

    /// <summary>The start of the window whose line is most like one of the first three SEARCH lines (longest common prefix plus
    /// suffix, ignoring whitespace, at least half the line); (-1, 0) when no line is that alike.</summary>
    private static (int Start, int Score) MostSimilar(string[] squeezed, List<string> search)
    {
        var (best, bestScore) = (-1, 0);
        for (var k = 0; k < Math.Min(3, search.Count); k++)
        {
            var s = search[k];
            if (s.Length == 0)
            {
                continue;
            }
            for (var i = 0; i < squeezed.Length; i++)
            {
                var line = squeezed[i];
                var max = Math.Min(s.Length, line.Length);
                var prefix = 0;
                while (prefix < max && s[prefix] == line[prefix])
                {
                    prefix++;
                }
                var suffix = 0;
                while (suffix < max - prefix && s[^(suffix + 1)] == line[^(suffix + 1)])
                {
                    suffix++;
                }
                var score = prefix + suffix;
                if (score * 2 >= Math.Max(s.Length, line.Length) && score > bestScore)
                {
                    (best, bestScore) = (Math.Max(0, i - k), score);
                }
            }
        }
        return (best, bestScore);
    }

    private static string Places(List<int> starts, int length) =>
        (starts.Count >= 5 ? "5 or more places" : $"{starts.Count} places") + " (lines " +
        string.Join(", ", starts.Select(s => $"{s + 1}-{s + length}")) + ")";

    /// <summary>The lines of the file most like the SEARCH (most lines equal ignoring whitespace, at the same offsets), numbered.</summary>
    private static string Nearest(List<string> lines, string[] squeezed, List<string> search)
    {
        var best = -1;
        var bestScore = 0;
        if (search.Count > 0)
        {
            var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var k = 0; k < search.Count; k++)
            {
                if (search[k].Length > 0)
                {
                    (index.TryGetValue(search[k], out var at) ? at : index[search[k]] = []).Add(k);
                }
            }
            var scores = new Dictionary<int, int>();
            for (var i = 0; i < squeezed.Length; i++)
            {
                if (squeezed[i].Length > 0 && index.TryGetValue(squeezed[i], out var offsets))
                {
                    foreach (var k in offsets)
                    {
                        var startAt = i - k;
                        var score = scores[startAt] = scores.GetValueOrDefault(startAt) + 1;
                        if (score > bestScore || (score == bestScore && startAt < best))
                        {
                            (best, bestScore) = (startAt, score);
                        }
                    }
                }
            }
        }
        var alike = "lines alike";
        if (bestScore == 0)
        {
            // No line is equal even without whitespace: the file's line most like one of the first SEARCH lines anchors the excerpt.
            (best, bestScore) = MostSimilar(squeezed, search);
            if (best < 0)
            {
                return "None of its lines resemble a line of the file; send the file whole or copy the SEARCH lines from it.";
            }
            alike = "lines alike, none equal";
            bestScore = 0;
        }
        var from = Math.Max(0, best);
        var to = Math.Min(lines.Count, Math.Max(from + 1, best + search.Count));
        to = Math.Min(to, from + MaxExcerptLines);
        var width = to.ToString(CultureInfo.InvariantCulture).Length;
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"The nearest lines of the file ({bestScore} of {search.Count} {alike}) are {from + 1}-{to}:");
        for (var i = from; i < to; i++)
        {
            sb.Append('\n').Append((i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width)).Append("| ").Append(lines[i]);
        }
        return sb.ToString();
    }
}
