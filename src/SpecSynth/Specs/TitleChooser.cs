using System.Text.RegularExpressions;

namespace SpecSynth.Specs;

/// <summary>
/// Picks a spec's title the way a reader would: front-matter <c>title</c>/<c>name</c>; an unfenced
/// <c>name:</c>/<c>title:</c> header line before the first heading (PRP style, even when the block around it is not
/// valid YAML); the first H1; the first heading. A generic section name ("Goal", "Overview", "Requirements
/// Document") is passed over for a better candidate: a later specific H1, the file name, or, when the file name
/// is generic too (<c>spec.md</c>, <c>requirements.md</c>), its folder's name.
/// </summary>
internal static partial class TitleChooser
{
    /// <summary>The title and where it came from (<c>front-matter</c>, <c>header-line</c>, <c>h1</c>, <c>heading</c>, <c>file-name</c>, <c>folder</c>, <c>none</c>).</summary>
    public static (string Title, string Source) Choose(IReadOnlyDictionary<string, string> frontMatter, string text,
        IReadOnlyList<SpecSection> sections, string? sourcePath)
    {
        foreach (var key in (string[])["title", "name"])
        {
            if (frontMatter.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                return (InlineText.CollapseWhitespace(value), "front-matter");
            }
        }
        var firstHeadingLine = sections.Count > 0 ? sections[0].Line : int.MaxValue;
        if (HeaderLine(text, firstHeadingLine) is { } header)
        {
            return (header, "header-line");
        }
        var h1 = sections.FirstOrDefault(s => s.Level == 1 && s.Heading.Length > 0);
        var first = sections.FirstOrDefault(s => s.Heading.Length > 0);
        var candidate = h1 ?? first;
        if (candidate is not null && !IsGeneric(candidate.Heading))
        {
            return (candidate.Heading, h1 is not null ? "h1" : "heading");
        }
        var specificH1 = sections.FirstOrDefault(s => s.Level == 1 && s.Heading.Length > 0 && !IsGeneric(s.Heading));
        if (specificH1 is not null)
        {
            return (specificH1.Heading, "h1");
        }
        var fileName = Path.GetFileNameWithoutExtension(sourcePath);
        if (!string.IsNullOrWhiteSpace(fileName) && !IsGeneric(fileName.Replace('-', ' ').Replace('_', ' ')))
        {
            return (fileName, "file-name");
        }
        var folder = sourcePath is null ? null : Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(sourcePath)));
        if (!string.IsNullOrWhiteSpace(folder) && IsFeatureFolder(folder))
        {
            return (folder, "folder");
        }
        if (candidate is not null)
        {
            return (candidate.Heading, h1 is not null ? "h1" : "heading");
        }
        return string.IsNullOrWhiteSpace(fileName) ? (SpecParser.UntitledTitle, "none") : (fileName, "file-name");
    }

    /// <summary>True for a section name that says nothing about the feature ("Goal", "Overview", "Requirements Document").</summary>
    public static bool IsGeneric(string heading) => Generic().IsMatch(heading.Trim());

    // A folder that names a feature (".kiro/specs/http-api", "specs/001-hello", "changes/add-export"), not "docs" or "specs".
    private static bool IsFeatureFolder(string folder) =>
        folder.Length > 2 && !IsGeneric(folder) && !GenericFolder().IsMatch(folder) && (folder.Contains('-') || folder.Contains('_'));

    private static string? HeaderLine(string text, int firstHeadingLine)
    {
        var number = 0;
        var inFrontMatter = false;
        // Line by line over the text's first lines (not a split of the whole text): a string only for a header line.
        var cut = new TextLines(text);
        while (cut.TryNext(out var line))
        {
            number++;
            if (number >= firstHeadingLine || number > 40)
            {
                break;
            }
            // A fenced (---) front-matter block that did not parse as YAML is ignored, not read line by line.
            if (line is "---" && (number == 1 || inFrontMatter))
            {
                inFrontMatter = number == 1;
                continue;
            }
            if (inFrontMatter)
            {
                continue;
            }
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                return null;
            }
            if (Header().IsMatch(line) && Header().Match(line.ToString()) is { Success: true } match)
            {
                var value = InlineText.CollapseWhitespace(match.Groups["value"].Value.Trim().Trim('"', '\''));
                if (value.Length > 0 && !value.StartsWith('|') && !value.StartsWith('>'))
                {
                    return value;
                }
            }
        }
        return null;
    }

    [GeneratedRegex(@"^(?:name|title)[ \t]*:[ \t]*(?<value>\S.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Header();

    [GeneratedRegex(
        @"^(?:the\s+)?(?:goals?|overview|introduction|intro|summary|purpose|why|what|background|context|description|motivation|abstract|about|scope|problem(?:\s+statement)?|solution|feature|features|user\s+stor(?:y|ies)|(?:(?:added|modified|removed|renamed)\s+)?requirements?(?:\s+document)?|functional\s+requirements|specification|spec|specs|design(?:\s+doc(?:ument)?)?|technical\s+design|implementation(?:\s+plan)?|plan|tasks?|task\s+list|prd|prompt|main\s+prompt|readme|index|proposal|table\s+of\s+contents|contents|todo|notes?|draft|instructions?)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Generic();

    [GeneratedRegex(@"^(?:docs?|specs?|specifications|requirements|design|plans?|prompts?|changes|tmp|temp|src|examples?|fixtures|real)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GenericFolder();
}
