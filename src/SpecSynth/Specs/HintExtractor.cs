using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace SpecSynth.Specs;

/// <summary>
/// Reads the target language and framework from explicit hints only: front-matter keys
/// (<c>language</c>, <c>lang</c>, <c>framework</c>, <c>stack</c>) and hint lines such as
/// <c>Language: Python</c>, <c>**Language/Version**: Python 3.11</c>, <c>Target framework: ASP.NET Core</c>
/// or <c>Tech stack: …</c>. Prose and code fences are never read. A framework that implies a single
/// language (FastAPI: python) supplies the language when no hint names one.
/// </summary>
internal static partial class HintExtractor
{
    private static readonly string[] LanguageKeys = ["language", "lang"];
    private static readonly string[] FrameworkKeys = ["framework"];
    private static readonly string[] StackKeys = ["stack", "tech_stack", "tech-stack", "techstack", "tech stack"];

    /// <param name="document">The parsed document.</param>
    /// <param name="text">The text it was parsed from (block spans index into it).</param>
    /// <param name="frontMatter">The document's front matter.</param>
    public static (string? Language, string? Framework) Extract(MarkdownDocument document, string text, IReadOnlyDictionary<string, string> frontMatter)
    {
        var language = TechNames.Language(Value(frontMatter, LanguageKeys));
        var framework = TechNames.Framework(Value(frontMatter, FrameworkKeys));
        var stack = Value(frontMatter, StackKeys);
        language ??= TechNames.Language(stack);
        framework ??= TechNames.Framework(stack);
        foreach (var value in HintValues(document, text))
        {
            if (language is not null && framework is not null)
            {
                break;
            }
            language ??= value.IsFrameworkOnly ? null : TechNames.Language(value.Text);
            framework ??= TechNames.Framework(value.Text);
        }
        return (language ?? TechNames.LanguageOf(framework), framework);
    }

    private static string? Value(IReadOnlyDictionary<string, string> frontMatter, string[] keys)
    {
        foreach (var key in keys)
        {
            if (frontMatter.TryGetValue(key, out var value) && Usable(value))
            {
                return value;
            }
        }
        return null;
    }

    // Markdig releases a paragraph's lines after inline parsing, so the source lines are cut from the text.
    private static List<(string Text, bool IsFrameworkOnly)> HintValues(MarkdownDocument document, string text)
    {
        var values = new List<(string Text, bool IsFrameworkOnly)>();
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
            foreach (var range in source.Split('\n'))
            {
                var line = source[range];
                if (line.IndexOf(':') < 0 || !HintKeyWord().IsMatch(line))
                {
                    continue;
                }
                var match = HintLine().Match(line.TrimEnd('\r').ToString());
                if (!match.Success)
                {
                    continue;
                }
                var value = Markup().Replace(match.Groups["value"].Value, string.Empty).Trim();
                if (Usable(value))
                {
                    var key = match.Groups["key"].Value;
                    values.Add((value, key.Contains("depend", StringComparison.OrdinalIgnoreCase)));
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
