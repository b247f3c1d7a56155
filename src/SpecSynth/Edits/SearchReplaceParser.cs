using System.Text;
using SpecSynth.Parsing;

namespace SpecSynth.Edits;

/// <summary>
/// Reads SEARCH/REPLACE blocks from the content lines of one fence (aider's format). The file is the one the fence names
/// (its label line, usually the path alone on the line before the fence); a line that is only a path between blocks
/// switches to that file, so one fence may edit several files. Linear in the lines.
/// </summary>
internal static class SearchReplaceParser
{
    /// <summary>Whether any of the lines opens a SEARCH block.</summary>
    public static bool HasBlocks(IReadOnlyList<string> lines) => lines.Any(l => EditMarkers.IsSearch(l));

    /// <summary>Parses the blocks; <paramref name="problems"/> receives what could not be read (a block without a file).</summary>
    /// <param name="lines">The fence's content lines.</param>
    /// <param name="path">The path the fence names, or <c>null</c>.</param>
    /// <param name="firstReplyLine">The 1-based reply line of <paramref name="lines"/>[0].</param>
    /// <param name="problems">Receives a line per block that names no file.</param>
    public static List<FileEdits> Parse(IReadOnlyList<string> lines, string? path, int firstReplyLine, List<string> problems)
    {
        var result = new List<(string Path, List<EditBlock> Blocks, bool Complete)>();
        var current = path;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (!EditMarkers.IsSearch(line))
            {
                if (line.Trim().Length > 0 && PathLabel.TryParse(line, out var named) && !EditMarkers.IsDivider(line) && !EditMarkers.IsReplace(line))
                {
                    current = named;
                }
                continue;
            }
            var start = i;
            var search = new StringBuilder();
            var replace = new StringBuilder();
            var part = search;
            var complete = false;
            for (i++; i < lines.Count; i++)
            {
                if (part == search && EditMarkers.IsDivider(lines[i]))
                {
                    part = replace;
                    continue;
                }
                if (part == replace && EditMarkers.IsReplace(lines[i]))
                {
                    complete = true;
                    break;
                }
                part.Append(lines[i]).Append('\n');
            }
            if (current is null)
            {
                problems.Add($"line {firstReplyLine + start}: a SEARCH/REPLACE block names no file (put the path alone on the line before the fence)");
                continue;
            }
            var entry = result.FindIndex(r => r.Path == current);
            if (entry < 0)
            {
                result.Add((current, [], true));
                entry = result.Count - 1;
            }
            var blocks = result[entry].Blocks;
            blocks.Add(new EditBlock(search.ToString(), replace.ToString(), blocks.Count + 1, firstReplyLine + start));
            if (!complete)
            {
                result[entry] = result[entry] with { Complete = false };
            }
        }
        return [.. result.Select(r => new FileEdits(r.Path, r.Blocks, EditFormat.SearchReplace, r.Complete))];
    }
}
