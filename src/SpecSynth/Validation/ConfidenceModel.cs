using System.Globalization;

namespace SpecSynth.Validation;

/// <summary>
/// Confidence computed from evidence, never asked of the model. The value starts at 1 and is multiplied by one
/// factor per piece of evidence, then rounded to 3 decimals:
/// <list type="number">
/// <item><b>Stop reason</b>: <c>stop</c> ×1, <c>length</c> ×0.5, <c>content_filter</c> ×0.3, anything else ×0.8.</item>
/// <item><b>Completeness</b>: no file, or any file the reply ended inside: ×0 (confidence 0).</item>
/// <item><b>Parser warnings</b> (blocks without a path, repeated paths): any ×0.9.</item>
/// <item><b>Syntax</b>: any invalid file ×0.3; otherwise, with <c>u</c> the share of unvalidated files
/// (no validator, checker missing or timed out), ×(1 − 0.2·u): all validated ×1, none validated ×0.8.</item>
/// <item><b>Check command</b>: passed ×1, not run ×0.9, failed (or timed out) ×0.4.</item>
/// <item><b>Repair rounds</b>: ×0.95 per round used (the first answer needed fixing).</item>
/// <item><b>Self-review</b> (when given, with at least one verdict): with <c>s = (met + 0.5·partly) / verdicts</c>,
/// ×(0.5 + 0.5·s): all met ×1, all not met ×0.5. No self-review: ×1.</item>
/// </list>
/// Example: stop reason <c>stop</c>, 3 complete files of which 2 valid and 1 unvalidated, no check, no repair, no
/// review: 1 × 1 × (1 − 0.2·⅓) × 0.9 = 0.84. Rounding is half away from zero.
/// </summary>
internal static class ConfidenceModel
{
    /// <summary>Scores <paramref name="evidence"/> with the formula above.</summary>
    /// <param name="evidence">The facts.</param>
    /// <returns>The value in [0, 1] and one evidence line per factor.</returns>
    public static ConfidenceScore Compute(ConfidenceEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var lines = new List<string>();
        var value = 1.0;
        void Apply(double factor, string why)
        {
            value *= factor;
            lines.Add($"{why}: x{factor.ToString("0.###", CultureInfo.InvariantCulture)}");
        }
        Apply(StopFactor(evidence.StopReason), $"stop reason '{evidence.StopReason}'");
        if (evidence.Files == 0 || evidence.IncompleteFiles > 0)
        {
            Apply(0, evidence.Files == 0 ? "no file in the reply" : $"{evidence.IncompleteFiles} of {evidence.Files} files incomplete");
        }
        else
        {
            Apply(1, $"{evidence.Files} files complete");
        }
        if (evidence.ParserWarnings > 0)
        {
            Apply(0.9, $"{evidence.ParserWarnings} parser warnings");
        }
        ApplySyntax(evidence, Apply);
        Apply(evidence.Check switch { CheckOutcome.Passed => 1, CheckOutcome.Failed => 0.4, _ => 0.9 },
            evidence.Check switch { CheckOutcome.Passed => "check command passed", CheckOutcome.Failed => "check command failed", _ => "check command not run" });
        if (evidence.RepairRounds > 0)
        {
            Apply(Math.Pow(0.95, evidence.RepairRounds), $"{evidence.RepairRounds} repair round(s)");
        }
        if (evidence.Review is { Total: > 0 } review)
        {
            var s = (review.Met + 0.5 * review.Partly) / review.Total;
            Apply(0.5 + 0.5 * s, $"self-review: {review.Met} met, {review.Partly} partly, {review.NotMet} not met");
        }
        return new ConfidenceScore(Math.Round(Math.Clamp(value, 0, 1), 3, MidpointRounding.AwayFromZero), lines);
    }

    private static double StopFactor(string stopReason) => stopReason switch
    {
        "stop" => 1.0,
        "length" => 0.5,
        "content_filter" => 0.3,
        _ => 0.8,
    };

    private static void ApplySyntax(ConfidenceEvidence e, Action<double, string> apply)
    {
        var total = e.SyntaxValid + e.SyntaxInvalid + e.SyntaxUnvalidated;
        var counts = $"syntax: {e.SyntaxValid} valid, {e.SyntaxInvalid} invalid, {e.SyntaxUnvalidated} unvalidated";
        if (total == 0)
        {
            apply(0.8, "syntax not validated");
        }
        else if (e.SyntaxInvalid > 0)
        {
            apply(0.3, counts);
        }
        else
        {
            apply(1 - 0.2 * e.SyntaxUnvalidated / total, counts);
        }
    }
}
