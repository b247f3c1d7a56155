using System.CommandLine;
using System.Text.Json;
using SpecSynth.Config;
using SpecSynth.Output;

namespace SpecSynth.Cli.Commands;

/// <summary><c>specsynth undo</c>: restores exactly what the last write changed.</summary>
internal static class UndoCommand
{
    public static Command Create(CliHost host)
    {
        var json = new Option<bool>("--json") { Description = "Print a machine-readable JSON result on stdout." };
        var force = new Option<bool>("--force") { Description = "Undo even if files were edited after the run." };
        var command = new Command("undo", "Undo the last generate run that wrote files.") { json, force };
        command.SetAction(async (parse, ct) =>
        {
            var journal = new WriteJournal(StatePaths.StateDir(host.GetEnv), host.Time);
            var undone = await journal.UndoLastAsync(parse.GetValue(force), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await host.Out.WriteLineAsync(JsonSerializer.Serialize(undone, CliJson.Options)).ConfigureAwait(false);
            }
            else
            {
                await host.Error.WriteLineAsync($"Undid run {undone.RunId} in {undone.OutputRoot}.").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
