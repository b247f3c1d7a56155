using System.Text;
using SpecSynth.Validation;

namespace SpecSynth.Generation.Repair;

/// <summary>Builds the repair request: the problems per file and the reply format asked for.</summary>
internal static class RepairPrompt
{
    public static string Build(IReadOnlyList<FileValidation> validation, CheckResult? check, int maxCheckOutput)
    {
        var sb = new StringBuilder("The files you wrote have problems. Fix them.\n");
        foreach (var file in validation.Where(v => v.Status == ValidationStatus.Invalid))
        {
            sb.Append("\n### ").Append(file.Path).Append(" (").Append(file.Validator).Append(")\n");
            foreach (var d in file.Diagnostics)
            {
                sb.Append("- ");
                if (d.Line > 0)
                {
                    sb.Append("line ").Append(d.Line);
                    if (d.Column > 0)
                    {
                        sb.Append(", column ").Append(d.Column);
                    }
                    sb.Append(": ");
                }
                sb.Append(d.Severity).Append(": ").Append(d.Message.Replace("\n", "\n  ", StringComparison.Ordinal)).Append('\n');
            }
        }
        if (check is { Passed: false })
        {
            var how = check.TimedOut ? "did not finish in time" : $"failed with exit code {check.ExitCode}";
            var output = check.Output.Length <= maxCheckOutput ? check.Output : "...\n" + check.Output[^maxCheckOutput..];
            sb.Append("\nThe check command `").Append(check.Command).Append("` ").Append(how).Append(". Its output:\n\n````text\n")
                .Append(output.TrimEnd()).Append("\n````\n");
        }
        var editsFailed = validation.Any(v => v.Status == ValidationStatus.Invalid && v.Validator == RepairLoop.EditValidator);
        if (editsFailed)
        {
            sb.Append("\nFor a file whose edits did not apply, send new SEARCH/REPLACE blocks whose SEARCH copies the real lines shown above ")
                .Append("exactly (the path alone on the line before the fence), or the complete file; never a file with parts left out. ")
                .Append("Edits apply to the files as they are now, your earlier edits included.");
        }
        sb.Append(editsFailed
                ? "\nReply with the corrected, complete files (or SEARCH/REPLACE blocks as just said; never other fragments or diffs), each in its own fenced code block "
                : "\nReply with the corrected, complete files (never fragments or diffs), each in its own fenced code block ")
            .Append("whose first line is a comment naming its path, e.g. `// filepath: src/Program.cs` ")
            .Append("(use the comment syntax of the file's language, such as `# filepath: app.py`; for JSON, which has no comments, ")
            .Append("name the path in the info string instead: ```json path=data/config.json). ")
            .Append("Send only the files you change; files you do not send are kept as they are.");
        return sb.ToString();
    }
}
