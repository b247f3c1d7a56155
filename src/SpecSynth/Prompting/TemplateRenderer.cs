using System.Text;

namespace SpecSynth.Prompting;

/// <summary>
/// Replaces <c>{{name}}</c> placeholders in one pass: inserted values are never scanned again, so a spec that
/// contains <c>{{language}}</c> stays as written. Unknown placeholders are left as they are.
/// </summary>
internal static class TemplateRenderer
{
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        var sb = new StringBuilder(template.Length + values.Values.Sum(v => v.Length));
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                break;
            }
            var name = template[(open + 2)..close].Trim();
            sb.Append(template, i, open - i);
            if (values.TryGetValue(name, out var value))
            {
                sb.Append(value);
            }
            else
            {
                sb.Append(template, open, close + 2 - open);
            }
            i = close + 2;
        }
        sb.Append(template, i, template.Length - i);
        return sb.ToString();
    }

    /// <summary>Neutralises a closing tag inside data so it cannot end the element early.</summary>
    public static string EscapeData(string text, string element) =>
        text.Replace("</" + element, "<\\/" + element, StringComparison.OrdinalIgnoreCase);
}
