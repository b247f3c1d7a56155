using System.Text;
using Markdig.Syntax;

namespace SpecSynth.Specs;

/// <summary>Cuts a parsed document into one <see cref="SpecSection"/> per heading.</summary>
internal static class SectionExtractor
{
    /// <summary>The sections in document order; HTML comments are left out of each body.</summary>
    public static IReadOnlyList<SpecSection> Extract(MarkdownDocument document, string text)
    {
        var headings = document.Descendants<HeadingBlock>().ToList();
        var comments = document.Descendants<HtmlBlock>()
            .Where(b => b.Type == HtmlBlockType.Comment)
            .Select(b => (Start: b.Span.Start, End: Math.Min(b.Span.End + 1, text.Length)))
            .ToList();
        var sections = new List<SpecSection>(headings.Count);
        for (var i = 0; i < headings.Count; i++)
        {
            var heading = headings[i];
            var bodyStart = Math.Min(heading.Span.End + 1, text.Length);
            var bodyEnd = i + 1 < headings.Count ? headings[i + 1].Span.Start : text.Length;
            var body = Slice(text, bodyStart, Math.Max(bodyStart, bodyEnd), comments);
            sections.Add(new SpecSection(InlineText.Of(heading), heading.Level, body, heading.Line + 1));
        }
        return sections.AsReadOnly();
    }

    /// <summary>The text from start to end without the comments in it, trimmed.</summary>
    private static string Slice(string text, int start, int end, List<(int Start, int End)> comments)
    {
        var commented = false;
        foreach (var (commentStart, commentEnd) in comments)
        {
            commented |= commentEnd > start && commentStart < end;
        }
        if (!commented)
        {
            return text.AsSpan(start, end - start).Trim().ToString(); // no comment inside: one string, not three
        }
        var builder = new StringBuilder(end - start);
        var position = start;
        foreach (var (commentStart, commentEnd) in comments)
        {
            if (commentEnd <= position || commentStart >= end)
            {
                continue;
            }
            builder.Append(text, position, Math.Max(0, commentStart - position));
            position = Math.Max(position, commentEnd);
        }
        if (position < end)
        {
            builder.Append(text, position, end - position);
        }
        return builder.ToString().Trim();
    }
}
