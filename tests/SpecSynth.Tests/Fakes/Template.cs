using System.Globalization;
using System.Text.Json;

namespace SpecSynth.Tests.Fakes;

/// <summary>Fills <c>@name@</c> placeholders in a JSON template: strings become JSON strings, numbers stay numbers.</summary>
internal static class Template
{
    public static string Fill(string template, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            var text = value switch
            {
                null => "null",
                string s => JsonSerializer.Serialize(s),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => JsonSerializer.Serialize(value),
            };
            template = template.Replace("@" + name + "@", text, StringComparison.Ordinal);
        }
        return template;
    }
}
