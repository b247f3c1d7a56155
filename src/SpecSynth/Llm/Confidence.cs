namespace SpecSynth.Llm;

/// <summary>
/// Confidence computed from evidence, never asked of the model. Starts at 1 and multiplies by a factor per
/// piece of evidence: stop reason (<c>stop</c> 1, <c>length</c> 0.5, <c>content_filter</c> 0.3, other 0.8),
/// files complete (an incomplete file 0), skipped blocks or parser warnings 0.9, syntax not validated 0.8.
/// </summary>
internal static class Confidence
{
    public static (double Value, IReadOnlyList<string> Evidence) Compute(string stopReason, int files, int incomplete,
        int warnings, bool syntaxValidated)
    {
        var evidence = new List<string>();
        var value = 1.0;
        var stopFactor = stopReason switch { "stop" => 1.0, "length" => 0.5, "content_filter" => 0.3, _ => 0.8 };
        value *= stopFactor;
        evidence.Add($"stop reason '{stopReason}': x{stopFactor:0.##}");
        if (incomplete > 0)
        {
            value = 0;
            evidence.Add($"{incomplete} of {files} files incomplete: x0");
        }
        else
        {
            evidence.Add($"{files} files complete: x1");
        }
        if (warnings > 0)
        {
            value *= 0.9;
            evidence.Add($"{warnings} parser warnings (blocks without a path or duplicates): x0.9");
        }
        if (!syntaxValidated)
        {
            value *= 0.8;
            evidence.Add("syntax not validated: x0.8");
        }
        return (Math.Round(value, 3), evidence);
    }
}
