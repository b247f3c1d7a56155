using System.CommandLine;
using SpecSynth.Cli.Commands;

namespace SpecSynth.Cli;

/// <summary>Builds the command tree and runs it; the one place that turns exceptions into exit codes.</summary>
internal static class CliApp
{
    internal const string NoColorFlag = "--no-color";
    internal const string VerboseFlag = "--verbose";
    internal const string LogLevelFlag = "--log-level";

    /// <summary>The command tree (every command, subcommand and flag).</summary>
    public static RootCommand BuildRoot(CliHost host) =>
        new("specsynth: turn a markdown specification into working code with an LLM.")
        {
            new Option<bool>(NoColorFlag) { Description = "No colour or bold on a terminal (as NO_COLOR=1 does).", Recursive = true },
            new Option<bool>(VerboseFlag) { Description = "Log at debug level to standard error (as --log-level debug).", Recursive = true },
            new Option<string>(LogLevelFlag)
            {
                Description = $"Log to standard error from LEVEL up: {string.Join("|", LogLevels.Names)} (default none; env {LogLevels.Variable}).",
                HelpName = "LEVEL",
                Recursive = true,
            },
            GenerateCommand.Create(host),
            BatchCommand.Create(host),
            ExplainCommand.Create(host),
            ReviewCommand.Create(host),
            UndoCommand.Create(host),
            ConfigCommand.Create(host),
            KeysCommand.Create(host),
            ModelsCommand.Create(host),
            HistoryCommand.Create(host),
            CacheCommand.Create(host),
            UsageCommand.Create(host),
            ContextCommand.Create(host),
            IndexCommand.Create(host),
            SpecCommand.Create(host),
            McpCommand.Create(host),
            CompletionCommand.Create(host),
        };

    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        host = host with { Error = RedactingWriter.Wrap(host.Error) };
        var root = BuildRoot(host);
        if (CompletionCommand.TrySuggest(args, root, host.Out))
        {
            return ExitCodes.Ok;
        }
        var parse = root.Parse(args);
        if (!host.NoColor && parse.GetValue(root.Options.OfType<Option<bool>>().First(o => o.Name == NoColorFlag)))
        {
            // The commands capture the host: build them again with colour off.
            host = host with { NoColor = true };
            parse = BuildRoot(host).Parse(args);
        }
        if (parse.Errors.Count == 0)
        {
            var (level, error) = LogLevels.Resolve(parse.GetValue(root.Options.OfType<Option<string>>().First(o => o.Name == LogLevelFlag)),
                parse.GetValue(root.Options.OfType<Option<bool>>().First(o => o.Name == VerboseFlag)), host.GetEnv);
            if (error is not null)
            {
                await host.Error.WriteLineAsync("error: " + error).ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            if (level != Microsoft.Extensions.Logging.LogLevel.None)
            {
                // The commands capture the host: build them again with the loggers.
                host = host with { Logs = new StderrLoggerFactory(host.Error, level) };
                parse = BuildRoot(host).Parse(args);
            }
        }
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await host.Error.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
            }
            await host.Error.WriteLineAsync("Run 'specsynth --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        host.IndexBuilds?.ConfigurationOf(parse);
        var invocation = new InvocationConfiguration
        {
            Output = host.Out,
            Error = host.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        // Traces and metrics over OTLP when configured (OTEL_EXPORTER_OTLP_ENDPOINT or [telemetry] endpoint), flushed when
        // this method returns, whatever the exit code; nothing of OpenTelemetry is loaded otherwise.
        using var telemetry = CliTelemetry.Start(host, parse.CommandResult.Command.Name);
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            await host.Error.WriteLineAsync(ex is RunInterruptedException partly ? partly.Message : "Interrupted; nothing was written.").ConfigureAwait(false);
            return host.InterruptedExitCode();
        }
        catch (SpecSynthException ex)
        {
            return await Failure.ReportAsync(host, parse, ExitCodes.For(ex.Kind), ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            // The machine, not specsynth: a read-only or full state folder, a file another program locked. Say what and where.
            var state = SpecSynthConfiguration.StateDirectory(host.GetEnv);
            return await Failure.ReportAsync(host, parse, ExitCodes.BadInput,
                $"{ex.Message.TrimEnd('.')}. Check that the state folder {state} (SPECSYNTH_HOME) and the project and output folders are " +
                "writable and the disk is not full.").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug of ours: say so plainly (exit 1); the stack trace only on request, since it is noise to users.
            var detail = host.GetEnv("SPECSYNTH_DEBUG") == "1" ? ex.ToString() : $"{ex.GetType().Name}: {ex.Message}";
            return await Failure.ReportAsync(host, parse, ExitCodes.InternalError,
                $"internal error ({detail}). Please report it; set SPECSYNTH_DEBUG=1 for the stack trace.").ConfigureAwait(false);
        }
    }
}
