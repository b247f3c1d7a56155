using System.Text;
using System.Text.RegularExpressions;

namespace SpecSynth.Providers.Mock;

/// <summary>
/// The mock's answer to a spec that changes existing files: every requirement of the form
/// <c>In `src/x.cs`, replace `old` with `new`</c> whose file the prompt shows whole is applied to the first line holding
/// <c>old</c>. A file the prompt asks edits for gets a SEARCH/REPLACE block (the line, widened until it is unique), any
/// other file comes back whole. Deterministic; <c>null</c> when no requirement is such a change.
/// </summary>
internal static partial class MockEdits
{
    public static string? Reply(string userText)
    {
        var changes = MockReplies.Requirements(userText)
            .Select(r => ChangeRegex().Match(r))
            .Where(m => m.Success)
            .Select(m => (Path: m.Groups[1].Value, Old: m.Groups[2].Value, New: m.Groups[3].Value))
            .ToList();
        if (changes.Count == 0)
        {
            return null;
        }
        var asked = AskedRegex().Match(userText) is { Success: true } a
            ? PathListRegex().Matches(a.Groups[1].Value).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal)
            : [];
        var sb = new StringBuilder("The specification changes existing files; here are the changes.\n\n");
        var done = new List<string>();
        foreach (var group in changes.GroupBy(c => c.Path, StringComparer.Ordinal))
        {
            if (FileContent(userText, group.Key) is not { } content)
            {
                continue;
            }
            var lines = (content.EndsWith('\n') ? content[..^1] : content).Split('\n').ToList();
            var language = Parsing.Languages.FromPath(group.Key) ?? "";
            if (asked.Contains(group.Key))
            {
                sb.Append(group.Key).Append("\n```").Append(language).Append('\n');
                foreach (var (_, old, replacement) in group)
                {
                    var at = lines.FindIndex(l => l.Contains(old, StringComparison.Ordinal));
                    if (at < 0)
                    {
                        continue;
                    }
                    var (from, to) = (at, at + 1);
                    while (Count(lines, lines.GetRange(from, to - from)) > 1 && (from > 0 || to < lines.Count))
                    {
                        (from, to) = from > 0 ? (from - 1, to) : (from, to + 1);
                    }
                    var search = lines.GetRange(from, to - from);
                    sb.Append("<<<<<<< SEARCH\n").AppendJoin('\n', search).Append("\n=======\n")
                        .AppendJoin('\n', search.Select((l, i) => from + i == at ? l.Replace(old, replacement, StringComparison.Ordinal) : l))
                        .Append("\n>>>>>>> REPLACE\n");
                    done.Add($"{group.Key}: `{old}` became `{replacement}` (an edit of line {at + 1})");
                }
                sb.Append("```\n\n");
            }
            else
            {
                foreach (var (_, old, replacement) in group)
                {
                    var at = lines.FindIndex(l => l.Contains(old, StringComparison.Ordinal));
                    if (at >= 0)
                    {
                        lines[at] = lines[at].Replace(old, replacement, StringComparison.Ordinal);
                        done.Add($"{group.Key}: `{old}` became `{replacement}` (line {at + 1}, whole file)");
                    }
                }
                sb.Append("```").Append(language).Append(" path=").Append(group.Key).Append('\n').AppendJoin('\n', lines).Append("\n```\n\n");
            }
        }
        if (done.Count == 0)
        {
            return null;
        }
        foreach (var line in done)
        {
            sb.Append("- ").Append(line).Append('\n');
        }
        return sb.ToString();
    }

    private static int Count(List<string> lines, List<string> window)
    {
        var count = 0;
        for (var i = 0; i + window.Count <= lines.Count; i++)
        {
            var k = 0;
            while (k < window.Count && lines[i + k] == window[k])
            {
                k++;
            }
            count += k == window.Count ? 1 : 0;
        }
        return count;
    }

    /// <summary>The content of a file the prompt shows whole (<c>&lt;file path="x"&gt;</c>, not an outline), or <c>null</c>.</summary>
    private static string? FileContent(string userText, string path)
    {
        var open = $"<file path=\"{path}\">\n";
        var start = userText.IndexOf(open, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }
        start += open.Length;
        var end = userText.IndexOf("\n</file>", start, StringComparison.Ordinal);
        return end < 0 ? null : userText[start..end];
    }

    // The requirement as the prompt lists it (inline code marks may be gone): the path, the old text up to the first " with ".
    [GeneratedRegex(@"(?:^|:\s)[Ii]n `?([\w./-]+\.\w+)`?,? (?:replace|change) `?(.+?)`? (?:with|to|by) `?(.+?)`?\.?$")]
    private static partial Regex ChangeRegex();

    [GeneratedRegex(@"change them with SEARCH/REPLACE blocks: ([^\n]+)")]
    private static partial Regex AskedRegex();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex PathListRegex();
}
