using SpecSynth.Parsing;

namespace SpecSynth.Validation;

/// <summary>A self-review's verdicts counted (requirements without a usable verdict are left out).</summary>
/// <param name="Met">Requirements fully met.</param>
/// <param name="Partly">Requirements partly met.</param>
/// <param name="NotMet">Requirements not met.</param>
internal sealed record ReviewCounts(int Met, int Partly, int NotMet)
{
    /// <summary>The number of verdicts.</summary>
    public int Total => Met + Partly + NotMet;

    /// <summary>Counts the verdicts of <paramref name="review"/>.</summary>
    public static ReviewCounts From(CodeReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        return new ReviewCounts(
            review.Requirements.Count(r => r.Status == RequirementStatus.Met),
            review.Requirements.Count(r => r.Status == RequirementStatus.Partly),
            review.Requirements.Count(r => r.Status == RequirementStatus.NotMet));
    }
}
