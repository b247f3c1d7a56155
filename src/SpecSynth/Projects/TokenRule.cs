using System.Text;
using System.Text.RegularExpressions;

namespace SpecSynth.Projects;

/// <summary>
/// One secret shape. <see cref="SecretPatterns"/> runs the regex only when one of the <paramref name="Anchors"/>
/// occurs in the text. A match's group <c>v</c>, when present, is the part replaced; otherwise the whole match.
/// </summary>
/// <param name="Name">For tests and diagnostics.</param>
/// <param name="Pattern">The shape (bounded quantifiers only), as the generated regex accessor that returns it: called when the
/// rule runs, so a shape is made only in a process that needs it.</param>
/// <param name="Anchors">Literals of which at least one must occur (compared ignoring case) for the regex to match.</param>
/// <param name="Accept">Extra check on the replaced text; <c>null</c> accepts all.</param>
/// <param name="Fits">Extra check on the whole match, for what the generated regex cannot say (a match it fails is no
/// match); <c>null</c> takes every match.</param>
internal sealed record TokenRule(string Name, Func<Regex> Pattern, string[] Anchors, Func<string, bool>? Accept = null, Func<Match, bool>? Fits = null)
{
    /// <summary>The shape.</summary>
    public Regex Regex => Pattern();

    /// <summary>Whether one of the anchors starts at the beginning of <paramref name="text"/>.</summary>
    public bool AnchoredAt(ReadOnlySpan<char> text)
    {
        foreach (var anchor in Anchors)
        {
            if (text.StartsWith(anchor, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Replaces every accepted match in <paramref name="text"/>, adding their number to <paramref name="count"/>. The
    /// matches are walked with <see cref="Match.NextMatch"/>, as <c>Regex.Replace</c> walks them (left to right, none
    /// overlapping), and the text is copied only once one is accepted: <c>Regex.Replace</c> with an evaluator had the JIT compile
    /// its generic match loop in the process's first redaction.</summary>
    public string Apply(string text, ref int count)
    {
        StringBuilder? result = null;
        var copied = 0;
        for (var m = Regex.Match(text); m.Success; m = m.NextMatch())
        {
            if (Fits is not null && !Fits(m))
            {
                continue;
            }
            var v = m.Groups["v"];
            var target = v.Success ? v : (Group)m;
            if ((Accept is not null && !Accept(target.Value)) || SecretValues.IsPlaceholder(target.ValueSpan))
            {
                continue;
            }
            count++;
            result ??= new StringBuilder(text.Length);
            result.Append(text, copied, target.Index - copied).Append(SecretRedactor.Marker);
            copied = target.Index + target.Length;
        }
        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }
}
