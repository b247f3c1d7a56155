using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace SpecSynth.Specs;

/// <summary>
/// Reads the target language and framework from explicit hints only: front-matter keys
/// (<c>language</c>, <c>lang</c>, <c>framework</c>, <c>stack</c>) and hint lines such as
/// <c>Language: Python</c>, <c>**Language/Version**: Python 3.11</c>, <c>Target framework: ASP.NET Core</c>
/// or <c>Tech stack: …</c>. Prose and code fences are never read here (<see cref="TechInferrer"/> reads them).
/// </summary>
internal static partial class HintExtractor
{
    private static readonly string[] LanguageKeys = ["language", "lang"];
    private static readonly string[] FrameworkKeys = ["framework"];
    private static readonly string[] StackKeys = ["stack", "tech_stack", "tech-stack", "techstack", "tech stack"];

    /// <summary>
    /// The stated clues in document order: front-matter keys first (line 0), then hint lines. A key that only lists
    /// dependencies (<c>Primary Dependencies</c>) gives frameworks, not languages.
    /// </summary>
    /// <param name="document">The parsed document.</param>
    /// <param name="text">The text it was parsed from (block spans index into it).</param>
    /// <param name="frontMatter">The document's front matter.</param>
    public static List<TechEvidence> Extract(MarkdownDocument document, string text, IReadOnlyDictionary<string, string> frontMatter)
    {
        var found = new List<TechEvidence>();
        AddFrontMatter(found, frontMatter, LanguageKeys, language: true);
        AddFrontMatter(found, frontMatter, FrameworkKeys, language: false);
        AddFrontMatter(found, frontMatter, StackKeys, language: true);
        AddFrontMatter(found, frontMatter, StackKeys, language: false);
        foreach (var (value, frameworkOnly, line, source) in HintValues(document, text))
        {
            if (!frameworkOnly && TechNames.Language(value) is { } language)
            {
                found.Add(new TechEvidence(language, "hint", source, line));
            }
            if (TechNames.Framework(value) is { } framework)
            {
                found.Add(new TechEvidence(framework, "hint", source, line));
            }
        }
        return found;
    }

    private static void AddFrontMatter(List<TechEvidence> found, IReadOnlyDictionary<string, string> frontMatter, string[] keys, bool language)
    {
        foreach (var key in keys)
        {
            if (frontMatter.TryGetValue(key, out var value) && Usable(value))
            {
                var id = language ? TechNames.Language(value) : TechNames.Framework(value);
                if (id is not null)
                {
                    found.Add(new TechEvidence(id, "front-matter", $"{key}: {value}", 0));
                }
                return;
            }
        }
    }

    // Markdig releases a paragraph's lines after inline parsing, so the source lines are cut from the text.
    private static List<(string Text, bool IsFrameworkOnly, int Line, string Source)> HintValues(MarkdownDocument document, string text)
    {
        var values = new List<(string Text, bool IsFrameworkOnly, int Line, string Source)>();
        foreach (var paragraph in document.Descendants<ParagraphBlock>())
        {
            var end = Math.Min(paragraph.Span.End + 1, text.Length);
            if (paragraph.Span.Start < 0 || paragraph.Span.Start >= end)
            {
                continue;
            }
            var source = text.AsSpan(paragraph.Span.Start, end - paragraph.Span.Start);
            if (!source.Contains(':'))
            {
                continue;
            }
            var offset = 0;
            foreach (var range in source.Split('\n'))
            {
                var line = source[range];
                offset++;
                if (line.IndexOf(':') < 0 || !HintKeyWord().IsMatch(line))
                {
                    continue;
                }
                var raw = line.TrimEnd('\r').ToString();
                var match = HintLine().Match(raw);
                if (!match.Success)
                {
                    continue;
                }
                var value = Markup().Replace(match.Groups["value"].Value, string.Empty).Trim();
                if (Usable(value))
                {
                    var key = match.Groups["key"].Value;
                    values.Add((value, key.Contains("depend", StringComparison.OrdinalIgnoreCase), paragraph.Line + offset, raw.Trim()));
                }
            }
        }
        return values;
    }

    /// <summary>False for template placeholders and unresolved values ("[e.g., Python 3.11 or NEEDS CLARIFICATION]").</summary>
    private static bool Usable(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && !value.TrimStart().StartsWith('[')
        && !value.Contains("NEEDS CLARIFICATION", StringComparison.OrdinalIgnoreCase)
        && !value.Contains("e.g.", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(
        @"^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?(?:\*\*|__)?\s*(?<key>(?:(?:programming|target|primary|implementation)\s+)?language(?:\s*(?:/|and|&)\s*(?:version|runtime|framework))?|lang|(?:(?:target|web|ui|application|primary)\s+)?framework|primary\s+dependencies|tech(?:nology)?\s+stack|stack)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?<value>\S.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HintLine();

    [GeneratedRegex(@"lang|framework|stack|dependencies", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HintKeyWord();

    [GeneratedRegex(@"[*`]|\s{2,}$")]
    private static partial Regex Markup();
}
