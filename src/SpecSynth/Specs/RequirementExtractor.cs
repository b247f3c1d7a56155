using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace SpecSynth.Specs;

/// <summary>
/// Finds requirements in document order: list items under requirement-like headings, lines and table rows
/// that start with a spec-kit style id (<c>FR-001:</c>), EARS sentences anywhere, OpenSpec
/// <c>Requirement:</c> headings (with the statement below a bare name), Kiro acceptance criteria (numbered
/// <c>N.k</c>), the sub-headings and items of design and API sections (components, interfaces, error handling,
/// testing strategy, public API), the numbered steps of a plan, and Gherkin scenarios in fences. Checklist items outside requirement sections
/// are tasks, kept apart. Code and HTML are not read.
/// </summary>
internal static partial class RequirementExtractor
{
    /// <param name="document">The parsed document.</param>
    /// <param name="text">The text it was parsed from (block spans index into it).</param>
    public static (IReadOnlyList<Requirement> Requirements, IReadOnlyList<SpecTask> Tasks) Extract(MarkdownDocument document, string text)
    {
        var scope = new HeadingScope();
        var found = new List<Requirement>();
        var tasks = new List<SpecTask>();
        var seen = new HashSet<(string?, string)>();
        var pending = -1; // a heading requirement that takes the first sentence of the paragraph below it
        foreach (var block in document.Descendants<Block>())
        {
            if (block is ParagraphBlock { Parent: MarkdownDocument } lead && pending >= 0 && !TableRows.IsTable(Source(lead, text)))
            {
                found[pending] = found[pending] with { Text = Join(found[pending].Text, InlineText.Of(lead)) };
                pending = -1;
                continue;
            }
            if (block is ParagraphBlock task && AsTask(task, scope) is { } item)
            {
                tasks.Add(item);
                continue;
            }
            var candidates = block switch
            {
                HeadingBlock heading => FromHeading(heading, scope),
                ParagraphBlock paragraph when TableRows.IsTable(Source(paragraph, text)) => FromTable(paragraph, text, scope),
                ParagraphBlock paragraph => FromParagraph(paragraph, scope),
                FencedCodeBlock { Info: "gherkin" or "feature" } gherkin => FromGherkin(gherkin, scope),
                _ => [],
            };
            if (block is HeadingBlock)
            {
                pending = -1;
            }
            foreach (var requirement in candidates)
            {
                if (requirement.Text.Length > 0 && seen.Add((requirement.Id, requirement.Text.ToUpperInvariant())))
                {
                    found.Add(requirement);
                    if (block is HeadingBlock && !Statement().IsMatch(requirement.Text))
                    {
                        pending = found.Count - 1;
                    }
                }
            }
        }
        return (found.AsReadOnly(), tasks.AsReadOnly());
    }

    /// <summary>A Gherkin scenario in a fence (a behaviour): "Heading: Given … When … Then …".</summary>
    private static IEnumerable<Requirement> FromGherkin(FencedCodeBlock fence, HeadingScope scope)
    {
        if (scope.Current is { Excluded: true })
        {
            return [];
        }
        var steps = InlineText.CollapseWhitespace(string.Join(' ', fence.Lines.Lines.Take(fence.Lines.Count).Select(l => l.Slice.ToString())));
        var heading = scope.Current?.Text;
        return steps.Length == 0 ? [] : [new Requirement(null, heading is null ? steps : heading + ": " + steps, scope.Parent?.Text ?? heading ?? string.Empty, fence.Line + 1)];
    }

    /// <summary>"Name" + "The system SHALL …" → "Name: The system SHALL …" (a long paragraph gives only its first sentence).</summary>
    private static string Join(string name, string paragraph)
    {
        if (paragraph.Length <= 200)
        {
            return paragraph.Length == 0 ? name : name + ": " + paragraph;
        }
        var end = SentenceEnd().Match(paragraph);
        var first = end.Success ? paragraph[..(end.Index + 1)] : paragraph;
        return name + ": " + first;
    }

    /// <summary>A checklist item outside requirement sections (and outside review checklists), or a <c>T001</c> task line.</summary>
    private static SpecTask? AsTask(ParagraphBlock paragraph, HeadingScope scope)
    {
        if (paragraph.Parent is not ListItemBlock item || item.IndexOf(paragraph) != 0)
        {
            return null;
        }
        var lines = InlineText.Lines(paragraph);
        if (lines.Count == 0)
        {
            return null;
        }
        var first = string.Join(' ', lines);
        var checkbox = Checkbox().Match(first);
        var body = checkbox.Success ? first[checkbox.Length..] : first;
        var taskId = TaskId().Match(body);
        var current = scope.Current;
        var isTask = taskId.Success || (checkbox.Success && current is not { InScope: true } && current is not { Excluded: true });
        if (!isTask)
        {
            return null;
        }
        var id = taskId.Success ? taskId.Groups["id"].Value : null;
        var text = taskId.Success ? body[taskId.Length..].Trim() : body;
        if (id is null && NumberedTask().Match(text) is { Success: true } numbered)
        {
            (id, text) = (numbered.Groups["id"].Value, text[numbered.Length..].Trim());
        }
        var done = checkbox.Success && checkbox.Value.Contains('x', StringComparison.OrdinalIgnoreCase);
        return new SpecTask(id, text, done, current?.Text ?? string.Empty, paragraph.Line + 1);
    }

    /// <summary>True when the text is an EARS sentence (WHEN/IF/WHILE/WHERE … SHALL, THE &lt;subject&gt; SHALL), any case.</summary>
    internal static bool IsEars(string text) => Ears().IsMatch(text);

    private static IEnumerable<Requirement> FromHeading(HeadingBlock heading, HeadingScope scope)
    {
        var text = InlineText.Of(heading);
        scope.Enter(heading.Level, text);
        var sentence = RequirementHeadings.OpenSpecRequirement(text);
        if (scope.Current is { Excluded: true })
        {
            return [];
        }
        if (sentence is not null)
        {
            return [new Requirement(null, sentence, scope.Parent?.Text ?? string.Empty, heading.Line + 1)];
        }
        return scope.Current is { IsItem: true } && scope.Parent is { } parent
            ? [new Requirement(null, text, parent.Text, heading.Line + 1)]
            : [];
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
        var planStep = item is not null && current is { Plan: true } && item.Parent is ListBlock { IsOrdered: true } && IsTopLevel(item);
        if (item is not null && current is not null && (current.InScope || planStep))
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

    [GeneratedRegex(@"^(?<id>T\d{3,4})\b\s*")]
    private static partial Regex TaskId();

    [GeneratedRegex(@"^(?<id>\d+(?:\.\d+)*)[.)]?\s+")]
    private static partial Regex NumberedTask();

    [GeneratedRegex(@"\b(?:SHALL|MUST)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Statement();

    [GeneratedRegex(@"[.!?](?=\s|$)")]
    private static partial Regex SentenceEnd();

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
