using System.Text;

namespace SpecSynth.Specs;

/// <summary>
/// Reads pipe-table rows from a paragraph's source lines. The parser does not enable Markdig's pipe-table
/// extension (it multiplies parse time on table-heavy documents), so tables arrive as paragraphs whose
/// lines start with <c>|</c>.
/// </summary>
internal static class TableRows
{
    /// <summary>True when the paragraph's source starts with a pipe, i.e. it is a pipe table.</summary>
    public static bool IsTable(ReadOnlySpan<char> source) => source.TrimStart().StartsWith('|');

    /// <summary>The rows of a pipe table as (0-based line offset, plain cell texts); the separator row is skipped.</summary>
    public static IEnumerable<(int LineOffset, IReadOnlyList<string> Cells)> Read(string source)
    {
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var cells = Cells(lines[i].Trim());
            if (cells.Count > 0 && !cells.All(IsSeparatorCell))
            {
                yield return (i, cells);
            }
        }
    }

    private static List<string> Cells(string line)
    {
        var cells = new List<string>();
        if (!line.StartsWith('|'))
        {
            return cells;
        }
        var cell = new StringBuilder();
        for (var i = 1; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] == '|')
            {
                cell.Append('|');
                i++;
            }
            else if (c == '|')
            {
                cells.Add(Plain(cell.ToString()));
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        if (cell.ToString().Trim().Length > 0)
        {
            cells.Add(Plain(cell.ToString()));
        }
        return cells;
    }

    private static bool IsSeparatorCell(string cell) => cell.Length > 0 && cell.Trim(':').Length > 0 && cell.Trim(':').All(c => c == '-');

    private static string Plain(string cell) =>
        InlineText.CollapseWhitespace(cell.Replace("**", string.Empty, StringComparison.Ordinal)
            .Replace("__", string.Empty, StringComparison.Ordinal)
            .Replace("`", string.Empty, StringComparison.Ordinal));
}
