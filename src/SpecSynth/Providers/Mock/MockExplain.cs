using System.Text;
using System.Text.RegularExpressions;

namespace SpecSynth.Providers.Mock;

/// <summary>The mock's explanation: per file, its size and the declarations it finds. Deterministic.</summary>
internal static partial class MockExplain
{
    public static string Reply(string userText)
    {
        var sb = new StringBuilder("Explanation from the offline mock provider (structure only; a real provider explains behaviour).\n\n");
        foreach (Match file in CodeRegex().Matches(userText))
        {
            var path = file.Groups[1].Success ? file.Groups[1].Value : "(code)";
            var body = file.Groups[2].Value;
            var lines = body.Split('\n').Length;
            sb.Append("## ").Append(path).Append("\n\n").Append(lines).Append(" lines.");
            var declarations = DeclarationRegex().Matches(body).Select(d => $"`{d.Groups[2].Value}` ({d.Groups[1].Value})").Distinct().ToList();
            sb.Append(declarations.Count == 0 ? " No declarations found.\n\n" : " Declares " + string.Join(", ", declarations) + ".\n\n");
        }
        return sb.ToString().TrimEnd() + "\n";
    }

    [GeneratedRegex("<code(?: path=\"([^\"]*)\")?>\\n(.*?)\\n</code>", RegexOptions.Singleline)]
    internal static partial Regex CodeRegex();

    [GeneratedRegex("\\b(class|record|struct|interface|enum|def|function|func|fn)\\s+([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex DeclarationRegex();
}
