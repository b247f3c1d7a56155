using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace SpecSynth.Specs;

/// <summary>
/// Finds requirements in document order: list items under requirement-like headings, lines and table rows
/// that start with a spec-kit style id (<c>FR-001:</c>), EARS sentences anywhere, OpenSpec
/// <c>Requirement:</c> headings, and Kiro acceptance criteria (numbered <c>N.k</c>). Code and HTML are not read.
/// </summary>
internal static partial class RequirementExtractor
{
    /// <param name="document">The parsed document.</param>
    /// <param name="text">The text it was parsed from (block spans index into it).</param>
    public static IReadOnlyList<Requirement> Extract(MarkdownDocument document, string text)
    {
        var scope = new HeadingScope();
        var found = new List<Requirement>();
        var seen = new HashSet<(string?, string)>();
        foreach (var block in document.Descendants<Block>())
        {
            var candidates = block switch
            {
                HeadingBlock heading => FromHeading(heading, scope),
                ParagraphBlock paragraph when TableRows.IsTable(Source(paragraph, text)) => FromTable(paragraph, text, scope),
                ParagraphBlock paragraph => FromParagraph(paragraph, scope),
                _ => [],
            };
            foreach (var requirement in candidates)
            {
                if (requirement.Text.Length > 0 && seen.Add((requirement.Id, requirement.Text.ToUpperInvariant())))
                {
                    found.Add(requirement);
                }
            }
        }
        return found.AsReadOnly();
    }

    /// <summary>True when the text is an EARS sentence (WHEN/IF/WHILE/WHERE … SHALL, THE &lt;subject&gt; SHALL), any case.</summary>
    internal static bool IsEars(string text) => Ears().IsMatch(text);

    private static IEnumerable<Requirement> FromHeading(HeadingBlock heading, HeadingScope scope)
    {
        var text = InlineText.Of(heading);
        scope.Enter(heading.Level, text);
        var sentence = RequirementHeadings.OpenSpecRequirement(text);
        return sentence is null ? [] : [new Requirement(null, sentence, scope.Parent?.Text ?? string.Empty, heading.Line + 1)];
    }

    /// <summary>Table rows whose first cell is exactly an id (<c>| FR-01 | Text | P0 |</c>); the text is the second cell.</summary>
    private static IEnumerable<Requirement> FromTable(ParagraphBlock paragraph, string text, HeadingScope scope)
    {
        var section = scope.Current?.Text ?? string.Empty;
        foreach (var (offset, cells) in TableRows.Read(Source(paragraph, text).ToString()))
        {
            if (cells.Count >= 2 && IdOnly().IsMatch(cells[0]))
            {
                yield return new Requirement(cells[0], cells[1], section, paragraph.Line + 1 + offset);
            }
        }
    }

    private static ReadOnlySpan<char> Source(Block block, string text)
    {
        var start = Math.Clamp(block.Span.Start, 0, text.Length);
        var end = Math.Clamp(block.Span.End + 1, start, text.Length);
        return text.AsSpan(start, end - start);
    }

    private static IEnumerable<Requirement> FromParagraph(ParagraphBlock paragraph, HeadingScope scope)
    {
        var lines = InlineText.Lines(paragraph);
        if (lines.Count == 0)
        {
            return [];
        }
        var section = scope.Current?.Text ?? string.Empty;
        if (MayStartWithId(lines[0]) && IdPrefix().IsMatch(StripCheckbox(lines[0])))
        {
            return WithIds(lines, section, paragraph.Line + 1);
        }
        var text = StripCheckbox(string.Join(' ', lines));
        var item = paragraph.Parent is ListItemBlock listItem && listItem.IndexOf(paragraph) == 0 ? listItem : null;
        var current = scope.Current;
        if (item is not null && current is { InScope: true })
        {
            var kiroId = current.KiroNumber is not null && item.Parent is ListBlock { IsOrdered: true } && IsTopLevel(item)
                ? $"{current.KiroNumber}.{item.Order}"
                : null;
            return [new Requirement(kiroId, text, section, paragraph.Line + 1)];
        }
        // SHALL inside a code span is a quoted keyword, not a requirement.
        return text.Contains("shall", StringComparison.OrdinalIgnoreCase)
            && IsEars(StripCheckbox(InlineText.Of(paragraph.Inline, includeCode: false)))
            ? [new Requirement(null, text, section, paragraph.Line + 1)]
            : [];
    }

    /// <summary>One requirement per id line; lines without an id continue the requirement above them.</summary>
    private static List<Requirement> WithIds(IReadOnlyList<string> lines, string section, int firstLine)
    {
        var result = new List<Requirement>();
        for (var i = 0; i < lines.Count; i++)
        {
            var match = IdPrefix().Match(StripCheckbox(lines[i]));
            if (match.Success)
            {
                result.Add(new Requirement(match.Groups["id"].Value, match.Groups["text"].Value.Trim(), section, firstLine + i));
            }
            else
            {
                result[^1] = result[^1] with { Text = result[^1].Text + " " + lines[i] };
            }
        }
        return result;
    }

    private static string StripCheckbox(string text) =>
        text.Length > 3 && text[0] == '[' ? Checkbox().Replace(text, string.Empty) : text;

    private static bool MayStartWithId(string line) =>
        line.Length > 3 && (line[0] is 'F' or 'N' or 'S' or 'R' or 'A' || (line[0] == '[' && line.Length > 5));

    private static bool IsTopLevel(ListItemBlock item)
    {
        for (var parent = item.Parent?.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ListItemBlock)
            {
                return false;
            }
        }
        return true;
    }

    [GeneratedRegex(@"^\[[ xX]\]\s+")]
    private static partial Regex Checkbox();

    [GeneratedRegex(@"^(?<id>(?:FR|NFR|SC|REQ|AC)-\d+[a-z]?(?:\.\d+)*)\s*(?:[:–—]|\s-\s)\s*(?<text>\S.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPrefix();

    [GeneratedRegex(@"^(?:FR|NFR|SC|REQ|AC)-\d+[a-z]?(?:\.\d+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdOnly();

    // WHEN/IF/WHILE/WHERE … SHALL within one sentence (a period followed by a non-space, as in 127.0.0.1,
    // does not end it), or THE plus a subject of at most eight words and SHALL.
    [GeneratedRegex(
        @"^(?:(?:when|while|where|if)\b(?:[^.!?]|[.!?](?=\S))*?|the(?:\s+\S+){1,8}?\s+)shall\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ears();
}
