using System.CommandLine;
using System.Globalization;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// <c>specsynth completion bash|zsh|pwsh</c>: prints a script that makes the shell complete specsynth's commands and
/// options. The script asks specsynth itself, with System.CommandLine's suggest directive (the protocol
/// <c>dotnet-suggest</c> speaks): <c>specsynth [suggest:CURSOR] "COMMAND LINE"</c> prints one completion a line.
/// </summary>
internal static class CompletionCommand
{
    private const string SuggestPrefix = "[suggest";

    public static Command Create(CliHost host)
    {
        var shell = new Argument<string>("shell") { Description = "The shell: bash, zsh or pwsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh");
        var command = new Command("completion",
            "Print the shell completion script: eval \"$(specsynth completion bash)\" in ~/.bashrc (zsh: ~/.zshrc; " +
            "pwsh: specsynth completion pwsh | Out-String | Invoke-Expression in $PROFILE).")
        { shell };
        command.SetAction(async (parse, ct) =>
        {
            await host.Out.WriteAsync(Script(parse.GetValue(shell)!).AsMemory(), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Whether <paramref name="args"/> is a suggest request (<c>[suggest]</c> or <c>[suggest:N]</c>, then the
    /// command line as one argument); if so, prints its completions on <paramref name="output"/>.</summary>
    public static bool TrySuggest(string[] args, RootCommand root, TextWriter output)
    {
        if (args.Length == 0 || !args[0].StartsWith(SuggestPrefix, StringComparison.Ordinal) || !args[0].EndsWith(']'))
        {
            return false;
        }
        var line = args.Length > 1 ? string.Join(' ', args[1..]) : "";
        var directive = args[0][SuggestPrefix.Length..^1];
        var cursor = directive.StartsWith(':') && int.TryParse(directive[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            ? Math.Clamp(at, 0, line.Length)
            : line.Length;
        foreach (var completion in Complete(root, line, cursor))
        {
            output.WriteLine(completion);
        }
        return true;
    }

    /// <summary>The completions at <paramref name="cursor"/> of <paramref name="line"/>, whose first word is the program
    /// (as a shell passes it: <c>specsynth gen</c>).</summary>
    public static IReadOnlyList<string> Complete(RootCommand root, string line, int cursor)
    {
        var start = 0;
        while (start < line.Length && char.IsWhiteSpace(line[start]))
        {
            start++;
        }
        var end = start;
        while (end < line.Length && !char.IsWhiteSpace(line[end]))
        {
            end++;
        }
        if (cursor <= end)
        {
            return []; // still typing the program's own name
        }
        var rest = line[end..].TrimStart();
        var position = Math.Clamp(cursor - (line.Length - rest.Length), 0, rest.Length);
        return [.. root.Parse(rest).GetCompletions(position)
            .Select(c => c.InsertText ?? c.Label)
            .Where(c => !c.StartsWith('['))
            .Distinct(StringComparer.Ordinal)];
    }

    private static string Script(string shell) => shell switch
    {
        "bash" => """
            # specsynth completion for bash: eval "$(specsynth completion bash)"
            _specsynth_complete() {
                local IFS=$'\n'
                COMPREPLY=( $(compgen -W "$(specsynth "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
            }
            complete -o default -F _specsynth_complete specsynth

            """,
        "zsh" => """
            # specsynth completion for zsh: eval "$(specsynth completion zsh)"
            _specsynth_complete() {
                local -a completions
                completions=("${(@f)$(specsynth "[suggest:${#BUFFER[1,CURSOR]}]" "${BUFFER}" 2>/dev/null)}")
                compadd -- "${completions[@]}"
            }
            compdef _specsynth_complete specsynth

            """,
        _ => """
            # specsynth completion for PowerShell: specsynth completion pwsh | Out-String | Invoke-Expression
            Register-ArgumentCompleter -Native -CommandName specsynth -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                specsynth "[suggest:$cursorPosition]" "$commandAst" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }

            """,
    };
}
