using System.Globalization;
using System.Text.RegularExpressions;

namespace SpecSynth.Specs;

/// <summary>
/// The warnings a careful reader gives before building from a spec: no requirements, template placeholders
/// (<c>[FEATURE NAME]</c>, <c>[###-feature-name]</c>, <c>$ARGUMENTS</c>, bracketed instructions), unresolved
/// <c>[NEEDS CLARIFICATION: …]</c> markers, TODO/TBD/FIXME in the prose, and contradictory language hints. A spec is
/// an unfilled template when its title is a placeholder or it still has <see cref="TemplatePlaceholderCount"/> or
/// more placeholder lines.
/// </summary>
internal static partial class SpecChecker
{
    /// <summary>Placeholder lines from which a spec counts as an unfilled template.</summary>
    internal const int TemplatePlaceholderCount = 5;

    private const int MaxListed = 3;

    public static (IReadOnlyList<SpecWarning> Warnings, bool UnfilledTemplate) Check(string title, IReadOnlyList<SpecLines.Entry> lines,
        IReadOnlyList<Requirement> requirements, IReadOnlyList<SpecTask> tasks, TechInference tech)
    {
        var warnings = new List<SpecWarning>();
        // Plain loops: a spec without placeholders or TODOs (most) allocates no iterator, closure or list for them.
        var placeholders = new List<(int Line, Match Match)>();
        foreach (var l in lines)
        {
            if (!l.Code && Placeholder().Match(l.Text) is { Success: true } match)
            {
                placeholders.Add((l.Line, match));
            }
        }
        var titlePlaceholder = Placeholder().Match(title);
        var unfilled = titlePlaceholder.Success || placeholders.Count >= TemplatePlaceholderCount;
        if (unfilled)
        {
            var why = titlePlaceholder.Success ? $"its title is the placeholder '{title}'" : $"{placeholders.Count} lines still hold placeholders";
            warnings.Add(new SpecWarning("unfilled-template",
                $"Unfilled template: {why}. Fill it in, or pass --allow-template to generate from it anyway.",
                placeholders.Count > 0 ? placeholders[0].Line : 0));
        }
        if (placeholders.Count > 0)
        {
            warnings.Add(new SpecWarning("template-placeholder",
                $"{Count(placeholders.Count, "line")} with template placeholders, e.g. {Listed(placeholders.Select(p => (p.Line, p.Match.Value)))}.",
                placeholders[0].Line));
        }
        var clarifications = new List<(int Line, string Text)>();
        foreach (var l in lines)
        {
            // EnumerateMatches: a line without a marker (nearly all) allocates nothing.
            foreach (var m in Clarification().EnumerateMatches(l.Text))
            {
                clarifications.Add((l.Line, l.Text.Substring(m.Index, m.Length)));
            }
        }
        if (clarifications.Count > 0)
        {
            warnings.Add(new SpecWarning("needs-clarification",
                $"{Count(clarifications.Count, "unresolved [NEEDS CLARIFICATION] marker")}: {Listed(clarifications)}. Answer them in the spec before generating.",
                clarifications[0].Line));
        }
        var todos = new List<(int Line, string Text)>();
        foreach (var l in lines)
        {
            if (!l.Code && Todo().Match(l.Text) is { Success: true } todo)
            {
                todos.Add((l.Line, Around(l.Text, todo.Index)));
            }
        }
        if (todos.Count > 0)
        {
            warnings.Add(new SpecWarning("todo", $"{Count(todos.Count, "TODO/TBD/FIXME line")}: {Listed(todos)}.", todos[0].Line));
        }
        foreach (var conflict in tech.Conflicts)
        {
            warnings.Add(new SpecWarning("contradictory-language", $"Contradictory language hints: {conflict}. Say which one to use.", 0));
        }
        if (requirements.Count == 0)
        {
            var tasksNote = tasks.Count > 0 ? $" (it has {Count(tasks.Count, "task")}, which are work items, not requirements)" : "";
            warnings.Add(new SpecWarning("no-requirements",
                $"No requirements found{tasksNote}; review and confidence have nothing to check the code against. List them under a " +
                "'Requirements' heading, as FR-001: … lines, or as WHEN … THE system SHALL … sentences.", 0));
        }
        return (warnings.AsReadOnly(), unfilled);
    }

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");

    private static string Listed(IEnumerable<(int Line, string Text)> items)
    {
        var list = items.ToList();
        var shown = string.Join(", ", list.Take(MaxListed).Select(i => $"line {i.Line.ToString(CultureInfo.InvariantCulture)}: {Short(i.Text)}"));
        return list.Count > MaxListed ? shown + ", …" : shown;
    }

    private static string Short(string text)
    {
        var collapsed = InlineText.CollapseWhitespace(text);
        return collapsed.Length <= 70 ? collapsed : collapsed[..69] + "…";
    }

    private static string Around(string line, int index)
    {
        var start = Math.Max(0, index);
        return line[start..];
    }

    // [FEATURE NAME], [DATE], [###-feature-name], $ARGUMENTS, [e.g., …], and bracketed instructions of three or more
    // words ("[Specific measurable outcomes]") that are not links, checkboxes or task tags ([P], [US1]).
    [GeneratedRegex(
        @"\[(?!NEEDS CLARIFICATION)(?!(?:US|P|T|FR|SC|NFR|REQ|AC)-?\d+\])[A-Z][A-Z0-9]{2,}(?:[ _/-][A-Z0-9]+)*\](?![(\[])|\[(?!NEEDS )[A-Z][A-Z0-9]*(?:[ _/-][A-Z0-9]+)+\](?![(\[])|\[#{2,}[-\w]*\]|\$ARGUMENTS\b|\[e\.g\.[^\]]*\]|\[(?!NEEDS )[A-Z][a-z]+(?:[ ,/'-]+[\w'()-]+){2,}[^\]\[]*\](?![(\[:])",
        RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\[NEEDS CLARIFICATION(?::[^\]]*)?\]", RegexOptions.CultureInvariant)]
    private static partial Regex Clarification();

    [GeneratedRegex(@"\b(?:TODO|TBD|FIXME)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Todo();
}
