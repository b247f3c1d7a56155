using System.Text.RegularExpressions;

namespace SpecSynth.Projects;

/// <summary>
/// One secret shape. <see cref="SecretPatterns"/> runs the regex only when one of the <paramref name="Anchors"/>
/// occurs in the text. A match's group <c>v</c>, when present, is the part replaced; otherwise the whole match.
/// </summary>
/// <param name="Name">For tests and diagnostics.</param>
/// <param name="Regex">The shape; bounded quantifiers only.</param>
/// <param name="Anchors">Literals of which at least one must occur (compared ignoring case) for the regex to match.</param>
/// <param name="Accept">Extra check on the replaced text; <c>null</c> accepts all.</param>
internal sealed record TokenRule(string Name, Regex Regex, string[] Anchors, Func<string, bool>? Accept = null)
{
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

    /// <summary>Replaces every accepted match in <paramref name="text"/>, adding their number to <paramref name="count"/>.</summary>
    public string Apply(string text, ref int count)
    {
        var matches = 0;
        var result = Regex.Replace(text, m =>
        {
            var v = m.Groups["v"];
            var target = v.Success ? v : (Group)m;
            if ((Accept is not null && !Accept(target.Value)) || SecretValues.IsPlaceholder(target.ValueSpan))
            {
                return m.Value;
            }
            matches++;
            return string.Concat(
                m.ValueSpan[..(target.Index - m.Index)], SecretRedactor.Marker, m.ValueSpan[(target.Index - m.Index + target.Length)..]);
        });
        count += matches;
        return matches == 0 ? text : result;
    }
}
