using System.CommandLine;
using SpecSynth.Cli.Commands;

namespace SpecSynth.Cli;

/// <summary>Builds the command tree and runs it; the one place that turns exceptions into exit codes.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        var root = new RootCommand("specsynth: turn a markdown specification into working code with an LLM.")
        {
            GenerateCommand.Create(host),
            ExplainCommand.Create(host),
            ReviewCommand.Create(host),
            UndoCommand.Create(host),
            ConfigCommand.Create(host),
            HistoryCommand.Create(host),
            CacheCommand.Create(host),
            UsageCommand.Create(host),
            ContextCommand.Create(host),
            SpecCommand.Create(host),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await host.Error.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
            }
            await host.Error.WriteLineAsync("Run 'specsynth --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        var invocation = new InvocationConfiguration
        {
            Output = host.Out,
            Error = host.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await host.Error.WriteLineAsync("Interrupted; nothing was written.").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (SpecSynthException ex)
        {
            return await Failure.ReportAsync(host, parse, ExitCodes.For(ex.Kind), ex.Message).ConfigureAwait(false);
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
