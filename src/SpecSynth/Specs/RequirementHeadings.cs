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

    /// <summary>
    /// True for the sections of a design or module spec whose sub-headings and list items are what the code must
    /// provide: components, interfaces, error handling, testing strategy, correctness properties, a public API or
    /// endpoint list, exports.
    /// </summary>
    public static bool IsDesignLike(string heading) => DesignWords().IsMatch(heading);

    /// <summary>True for a plan section ("Implementation Plan", "Steps", "Approach", "What Changes") whose numbered steps are requirements.</summary>
    public static bool IsPlanLike(string heading) => PlanWords().IsMatch(heading);

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
        @"\b(?:requirements?|non-functional|functional|nfrs?|goals?|objectives?|criteria|criterion|user\s+stories|must|should|features|deliverables?|behaviou?rs?|constraints|invariants|guarantees|rules)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RequirementWords();

    [GeneratedRegex(
        @"\b(?:non-?goals?|out\s+of\s+scope|key\s+entities|entities|glossary|edge\s+cases?|scenarios?|examples?|notes?|assumptions?|dependencies|clarifications?|checklist|anti-?patterns?|references|open\s+questions|not\s+building|won'?t|removed|renamed|rejected|alternatives?|(?:execution\s+)?status)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExcludedWords();

    [GeneratedRegex(
        @"\b(?:components?(?:\s+and\s+interfaces)?|interfaces?|(?:error|response|request|event|input)\s+handling|testing\s+strategy|test\s+strategy|correctness\s+properties|(?:public\s+)?(?:module\s+)?api(?:\s+(?:surface|reference|endpoints?(?:\s+specification)?))?|endpoints|public\s+items|exports|cli\s+surface)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DesignWords();

    [GeneratedRegex(
        @"^(?:implementation\s+|migration\s+|rollout\s+|execution\s+)?(?:plan|steps|approach)$|^(?:implementation|proposed)\s+(?:steps|approach)$|^(?:what\s+changes|proposed\s+changes|changes)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PlanWords();

    [GeneratedRegex(@"^requirement\s+(?<n>\d+)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KiroHeading();

    [GeneratedRegex(@"^requirement\s*:\s*(?<text>\S.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpenSpecHeading();
}
