namespace SpecSynth.Parsing;

/// <summary>The result of <c>ICodeGenerator.ReviewCodeAsync</c>.</summary>
internal sealed record CodeReview
{
    /// <summary>One finding per requirement, in the order given.</summary>
    public required IReadOnlyList<RequirementFinding> Requirements { get; init; }

    /// <summary>Issues found in the code, most severe first.</summary>
    public required IReadOnlyList<ReviewIssue> Issues { get; init; }

    /// <summary>A short overall summary.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Tokens used.</summary>
    public TokenUsage TokensUsed { get; init; } = TokenUsage.Zero;

    /// <summary>The provider that answered.</summary>
    public string Provider { get; init; } = "";

    /// <summary>The model that answered, when it said.</summary>
    public string Model { get; init; } = "";

    /// <summary>Whether the reply came from the response cache (no provider request, no cost).</summary>
    public bool CacheHit { get; init; }
}

/// <summary>Whether a requirement is met.</summary>
public enum RequirementStatus
{
    /// <summary>Fully met.</summary>
    Met,
    /// <summary>Partly met.</summary>
    Partly,
    /// <summary>Not met.</summary>
    NotMet,
    /// <summary>The model gave no usable verdict.</summary>
    Unknown,
}

/// <summary>A verdict on one requirement.</summary>
/// <param name="Requirement">The requirement text (or id and text).</param>
/// <param name="Status">The verdict.</param>
/// <param name="Evidence">Where and how the code meets it, or why not.</param>
public sealed record RequirementFinding(string Requirement, RequirementStatus Status, string Evidence);

/// <summary>An issue in reviewed code.</summary>
/// <param name="Severity"><c>error</c>, <c>warning</c> or <c>info</c>.</param>
/// <param name="Location">File and line, as precise as the model gave it.</param>
/// <param name="Message">What is wrong.</param>
public sealed record ReviewIssue(string Severity, string Location, string Message);
