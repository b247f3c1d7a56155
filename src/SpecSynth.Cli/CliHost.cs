namespace SpecSynth.Cli;

/// <summary>Everything the CLI takes from its process: streams, environment, folder and clock. Tests build their own.</summary>
/// <param name="Out">Standard output (results, <c>--json</c>).</param>
/// <param name="Error">Standard error (progress, warnings, errors).</param>
/// <param name="GetEnv">Reads an environment variable; <c>null</c> when unset.</param>
/// <param name="CurrentDirectory">The folder relative paths are resolved against.</param>
/// <param name="ErrorIsTerminal">Whether standard error is an interactive terminal (live progress view).</param>
/// <param name="Time">The clock.</param>
internal sealed record CliHost(TextWriter Out, TextWriter Error, Func<string, string?> GetEnv, string CurrentDirectory,
    bool ErrorIsTerminal, TimeProvider Time)
{
    /// <summary>The exit code of a cancelled run: 130 (Ctrl+C), or 143 / 129 when SIGTERM / SIGHUP cancelled it.</summary>
    public Func<int> InterruptedExitCode { get; init; } = () => ExitCodes.Interrupted;

#pragma warning disable RS0030 // The CLI's composition root: the one place it names the process clock.
    /// <summary>The real process.</summary>
    public static CliHost FromProcess() => new(Console.Out, Console.Error, Environment.GetEnvironmentVariable,
        Environment.CurrentDirectory, !Console.IsErrorRedirected, TimeProvider.System)
    {
        OpenInput = Console.OpenStandardInput,
        InputIsTerminal = !Console.IsInputRedirected,
        OpenOutput = OpenProtocolOutput,
    };

    /// <summary>Standard output as a raw stream for a protocol (<c>mcp</c>); from then on <see cref="Console.Out"/> writes to
    /// standard error, so no stray line can corrupt the protocol.</summary>
    private static Stream OpenProtocolOutput()
    {
        var stream = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        return stream;
    }
#pragma warning restore RS0030

    /// <summary>Standard input (<c>generate -</c> reads the spec from it).</summary>
    public Func<Stream> OpenInput { get; init; } = () => Stream.Null;

    /// <summary>Standard output as a stream, for <c>mcp</c>'s protocol messages (nothing else may go there then).</summary>
    public Func<Stream> OpenOutput { get; init; } = () => Stream.Null;

    /// <summary>Whether standard input is an interactive terminal (nothing piped in).</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>The library's and the CLI's loggers (<c>--verbose</c>, <c>--log-level</c>, <c>SPECSYNTH_LOG_LEVEL</c>), writing to
    /// standard error; <c>null</c> (the default): no log output.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? Logs { get; init; }

    /// <summary>The provider SDK wiring; <c>null</c> (the default): <see cref="SpecSynthProviders.Factory"/> (Azure OpenAI without
    /// a key signs in with <c>DefaultAzureCredential</c>). Tests give one with their own Entra ID credential.</summary>
    public ProviderSdkFactory? ProviderFactory { get; init; }

    /// <summary>The context indexes left to be built after the run (<see cref="BackgroundIndexBuilds.Defer"/>, the library's
    /// <see cref="SpecSynthOptions.DeferIndexBuild"/>); <c>null</c> (the default, the in-process app): built inline. The
    /// process entry gives its own and starts them once the run has answered.</summary>
    public BackgroundIndexBuilds? IndexBuilds { get; init; }

    /// <summary><c>--no-color</c>: no colour or bold, whatever the terminal.</summary>
    public bool NoColor { get; init; }

    /// <summary>Whether stderr may be styled (colour, bold): a terminal, no <c>--no-color</c> and no <c>NO_COLOR</c>
    /// (no-color.org: any non-empty value). Non-terminals never get an escape code.</summary>
    public bool Styled => ErrorIsTerminal && !NoColor && string.IsNullOrEmpty(GetEnv("NO_COLOR"));

    /// <summary>Whether progress is a live display (Spectre.Console redrawing lines with cursor control): on a terminal
    /// only, and not under <c>NO_COLOR</c> or <c>--no-color</c>, which get no escape code at all (plain lines instead).</summary>
    public bool Live => Styled;

    /// <summary>Resolves a user-given path against <see cref="CurrentDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, CurrentDirectory);
}
