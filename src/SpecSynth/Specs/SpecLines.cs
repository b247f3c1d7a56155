using Markdig.Syntax;

namespace SpecSynth.Specs;

/// <summary>
/// The source lines of a parsed document that carry content, in document order: paragraph and heading lines as
/// written (markup kept), and the lines of code blocks with their fence's info string. HTML blocks (template
/// guidance in comments) and front matter are left out.
/// </summary>
internal static class SpecLines
{
    /// <summary>One line of content.</summary>
    /// <param name="Text">The line as written, without its line break.</param>
    /// <param name="Line">Its 1-based line number.</param>
    /// <param name="Code">True inside a code block.</param>
    /// <param name="Info">The fence's info string (first word, lower case), or empty.</param>
    internal readonly record struct Entry(string Text, int Line, bool Code, string Info);

    public static List<Entry> Read(MarkdownDocument document, string text)
    {
        var lines = new List<Entry>();
        foreach (var block in document.Descendants<LeafBlock>())
        {
            switch (block)
            {
                case FencedCodeBlock fence:
                    var info = (fence.Info ?? string.Empty).Trim().Split(' ', 2)[0].ToLowerInvariant();
                    AddCode(lines, fence, info);
                    break;
                case CodeBlock code:
                    AddCode(lines, code, string.Empty);
                    break;
                case ParagraphBlock or HeadingBlock:
                    AddSource(lines, block, text);
                    break;
                default:
                    break;
            }
        }
        return lines;
    }

    private static void AddCode(List<Entry> lines, LeafBlock block, string info)
    {
        var group = block.Lines;
        for (var i = 0; i < group.Count; i++)
        {
            var line = group.Lines[i];
            var content = line.Slice.ToString();
            if (content.Length > 0)
            {
                lines.Add(new Entry(content, line.Line + 1, Code: true, info));
            }
        }
    }

    // Markdig releases a paragraph's lines after inline parsing, so the source is cut from the text.
    private static void AddSource(List<Entry> lines, Block block, string text)
    {
        var start = Math.Clamp(block.Span.Start, 0, text.Length);
        var end = Math.Clamp(block.Span.End + 1, start, text.Length);
        var number = block.Line + 1;
        // Cut line by line from the text: no copy of the block and no array of its parts, only the lines kept.
        var cut = new TextLines(text.AsSpan(start, end - start));
        while (cut.TryNext(out var line))
        {
            if (line.Length > 0)
            {
                lines.Add(new Entry(line.ToString(), number, Code: false, string.Empty));
            }
            number++;
        }
    }
}
