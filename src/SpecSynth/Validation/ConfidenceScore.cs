namespace SpecSynth.Validation;

/// <summary>A confidence value and the factor each piece of evidence contributed.</summary>
/// <param name="Value">In [0, 1], rounded to 3 decimals.</param>
/// <param name="Evidence">One line per factor, e.g. <c>stop reason 'length': x0.5</c>.</param>
internal sealed record ConfidenceScore(double Value, IReadOnlyList<string> Evidence);
