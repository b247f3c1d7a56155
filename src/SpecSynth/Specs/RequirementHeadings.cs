using System.Text.RegularExpressions;

namespace SpecSynth.Specs;

/// <summary>Decides from a heading's words whether the list items below it are requirements.</summary>
internal static partial class RequirementHeadings
{
    /// <summary>
    /// True for headings such as "Requirements", "Functional Requirements", "Non-Functional", "Goals",
    /// "Success Criteria", "Acceptance Criteria", "Objectives", "User Stories", "Must Have", "Features",
    /// "Deliverables", and Kiro's "Requirement 1: Title".
    /// </summary>
    public static bool IsRequirementLike(string heading) => RequirementWords().IsMatch(heading);

    /// <summary>
    /// True for headings whose subtree never holds requirements even under a requirement heading:
    /// key entities, glossary, edge cases, scenarios, examples, notes, assumptions, non-goals, checklists.
    /// </summary>
    public static bool IsExcluded(string heading) => ExcludedWords().IsMatch(heading);

    /// <summary>The number of a Kiro requirement heading ("Requirement 2", "Requirement 2: Title"), or null.</summary>
    public static string? KiroNumber(string heading)
    {
        var match = KiroHeading().Match(heading);
        return match.Success ? match.Groups["n"].Value : null;
    }

    /// <summary>The sentence of an OpenSpec requirement heading ("Requirement: The system SHALL …"), or null.</summary>
    public static string? OpenSpecRequirement(string heading)
    {
        var match = OpenSpecHeading().Match(heading);
        return match.Success ? match.Groups["text"].Value.Trim() : null;
    }

    [GeneratedRegex(
        @"\b(?:requirements?|non-functional|functional|nfrs?|goals?|objectives?|criteria|criterion|user\s+stories|must|should|features|deliverables?)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RequirementWords();

    [GeneratedRegex(
        @"\b(?:non-?goals?|out\s+of\s+scope|key\s+entities|entities|glossary|edge\s+cases?|scenarios?|examples?|notes?|assumptions?|dependencies|clarifications?|checklist|anti-?patterns?|references|open\s+questions|not\s+building|won'?t)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExcludedWords();

    [GeneratedRegex(@"^requirement\s+(?<n>\d+)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KiroHeading();

    [GeneratedRegex(@"^requirement\s*:\s*(?<text>\S.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpenSpecHeading();
}
