using System.Text.RegularExpressions;

namespace SpecSynth.Validation;

/// <summary>
/// Turns an external checker's output into diagnostics: each line shaped <c>file:line[:col][:] message</c> or
/// <c>file(line[,col]): message</c> (tsc, MSBuild) naming the
/// checked copy becomes one; failing that, the first <c>line N</c> (Python's <c>File "x", line 3</c>) gives the
/// position of a single diagnostic holding the whole output; failing that, the whole output is one diagnostic
/// without a position. The temporary path is replaced by the file's relative path.
/// </summary>
internal static partial class CheckerOutput
{
    public static List<Diagnostic> Parse(string output, string tempFile, string path, int max)
    {
        var text = output.Replace(tempFile, path, StringComparison.Ordinal).Trim();
        var fileName = Path.GetFileName(path);
        var result = new List<Diagnostic>();
        foreach (var raw in text.Split('\n'))
        {
            var trimmed = raw.Trim();
            var m = Located().Match(trimmed) is { Success: true } colon ? colon : Parenthesised().Match(trimmed);
            if (m.Success && (m.Groups["file"].Value == path || Path.GetFileName(m.Groups["file"].Value) == fileName))
            {
                var column = m.Groups["col"].Success ? int.Parse(m.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
                result.Add(new Diagnostic(path, ParseInt(m.Groups["line"].Value), column, Message(m.Groups["msg"].Value), SeverityOf(m.Groups["msg"].Value)));
                if (result.Count == max)
                {
                    break;
                }
            }
        }
        if (result.Count > 0)
        {
            return result;
        }
        var line = LineWord().Match(text);
        var message = text.Length == 0 ? "the checker failed without output" : text;
        return [new Diagnostic(path, line.Success ? ParseInt(line.Groups[1].Value) : 0, 0, Cap(message), Diagnostic.Error)];
    }

    private static int ParseInt(string digits) =>
        int.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string Message(string message)
    {
        var m = message.Trim();
        return m.Length == 0 ? "error" : Cap(m);
    }

    private static string SeverityOf(string message)
    {
        var m = message.TrimStart();
        return m.StartsWith("warning", StringComparison.OrdinalIgnoreCase) ? Diagnostic.Warning
            : m.StartsWith("note", StringComparison.OrdinalIgnoreCase) || m.StartsWith("info", StringComparison.OrdinalIgnoreCase) ? Diagnostic.Info
            : Diagnostic.Error;
    }

    private static string Cap(string message) => message.Length <= 2000 ? message : message[..2000] + "...";

    [GeneratedRegex(@"^(?<file>[^\s:]+):(?<line>\d+)(?::(?<col>\d+))?:?\s*(?<msg>.*)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Located();

    [GeneratedRegex(@"^(?<file>[^\s(]+)\((?<line>\d+)(?:,(?<col>\d+))?\):?\s*(?<msg>.*)$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"\bline (\d+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 1000)]
    private static partial Regex LineWord();
}
