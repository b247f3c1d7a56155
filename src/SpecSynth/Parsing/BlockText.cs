using System.Text;

namespace SpecSynth.Parsing;

/// <summary>Builds a block's content and the reply's explanation from line ranges.</summary>
internal static class BlockText
{
    /// <summary>
    /// The content of a block: its lines without the marker line, each without the opening fence's indentation,
    /// each ended by <c>\n</c> (except a last line the truncated reply did not end).
    /// </summary>
    public static string Content(ReplyLines lines, RawBlock block)
    {
        var builder = new StringBuilder();
        for (var line = block.ContentStart; line < block.ContentEnd; line++)
        {
            if (line == block.Header.MarkerLine)
            {
                continue;
            }
            var text = lines[line];
            var indent = 0;
            while (indent < block.Indent && indent < text.Length && text[indent] == ' ')
            {
                indent++;
            }
            builder.Append(text[indent..]);
            if (line < lines.Count - 1 || lines.EndsWithNewline)
            {
                builder.Append('\n');
            }
        }
        return builder.ToString();
    }

    /// <summary>The 1-based reply line where the content (after any marker line) starts.</summary>
    public static int LineStart(RawBlock block) =>
        (block.Header.MarkerLine == block.ContentStart ? block.ContentStart + 1 : block.ContentStart) + 1;

    /// <summary>
    /// The lines not taken by file blocks, joined with <c>\n</c>, runs of blank lines collapsed to one, trimmed.
    /// </summary>
    public static string Explanation(ReplyLines lines, bool[] taken)
    {
        var builder = new StringBuilder();
        var blankPending = false;
        for (var line = 0; line < lines.Count; line++)
        {
            if (taken[line])
            {
                continue;
            }
            if (lines.IsBlank(line))
            {
                blankPending = builder.Length > 0;
                continue;
            }
            if (blankPending)
            {
                builder.Append('\n');
                blankPending = false;
            }
            builder.Append(lines[line].TrimEnd()).Append('\n');
        }
        return builder.ToString().Trim();
    }
}
