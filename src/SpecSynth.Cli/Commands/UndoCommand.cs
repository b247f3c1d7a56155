using System.CommandLine;
using System.Text.Json;
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
            var journal = new WriteJournal(SpecSynthConfiguration.StateDirectory(host.GetEnv), host.Time) { OnWarning = w => host.Error.WriteLine("warning: " + w) };
            var undone = await journal.UndoLastAsync(parse.GetValue(force), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await host.Out.WriteLineAsync(JsonSerializer.Serialize(undone, CliJson.Options)).ConfigureAwait(false);
            }
            else
            {
                await host.Error.WriteLineAsync(Summary(undone)).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>What undo did, as it happened: the counts, or that the run had changed nothing.</summary>
    private static string Summary(UndoResult undone) =>
        undone.DeletedFiles.Count + undone.RestoredFiles.Count == 0
            ? $"Undid run {undone.RunId} in {undone.OutputRoot}: no file needed restoring (the run had changed none, or they were " +
              "already back); it is marked undone."
            : $"Undid run {undone.RunId} in {undone.OutputRoot}: deleted {undone.DeletedFiles.Count} created files, restored " +
              $"{undone.RestoredFiles.Count} modified files.";
}
