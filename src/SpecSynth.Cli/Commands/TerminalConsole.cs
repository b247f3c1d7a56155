using Spectre.Console;

namespace SpecSynth.Cli.Commands;

/// <summary>The Spectre.Console view of stderr on a terminal: ANSI cursor control for live lines; colour and bold only
/// when <see cref="CliHost.Styled"/> (no <c>NO_COLOR</c>, no <c>--no-color</c>).</summary>
internal static class TerminalConsole
{
    public static IAnsiConsole Create(CliHost host) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(host.Error),
        Ansi = AnsiSupport.Yes,
        ColorSystem = host.Styled ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.Yes,
    });

    /// <summary>Markup for text in bold when styling is allowed, plain otherwise.</summary>
    public static string Bold(CliHost host, string text) => host.Styled ? $"[bold]{Markup.Escape(text)}[/]" : Markup.Escape(text);
}
