using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// <c>specsynth index [--project DIR] [--json]</c>: builds or refreshes the project's context index in the foreground (the
/// same walk and configuration as <c>context</c>), so the next <c>context</c> or <c>generate</c> reads it instead of every
/// file; a CI machine can prime it. The CLI also starts it, detached and with <c>--background</c> (idle priority, no
/// output), after a <c>context</c> or <c>generate</c> that found no index (<see cref="BackgroundIndexBuilds"/>).
/// </summary>
internal static class IndexCommand
{
    /// <summary>The hidden flag of the detached build: lowest priority (<see cref="BackgroundIndexBuilds.LowerPriorityFor"/>), nothing printed.</summary>
    public const string BackgroundFlag = "--background";

    /// <summary>The project option's name.</summary>
    public const string ProjectFlag = "--project";

    /// <summary>The hidden option of a detached build for a run without <c>--project</c>: the folder whose files it ranked,
    /// with the working folder's configuration (<see cref="IndexRequest.OutputRoot"/>).</summary>
    public const string OutFlag = "--out";

    public static Command Create(CliHost host)
    {
        var common = new CommonOptions();
        var background = new Option<bool>(BackgroundFlag) { Hidden = true };
        var outDir = new Option<string?>(OutFlag) { Hidden = true };
        var command = new Command("index", "Build or refresh the project's context index now (what later context and generate runs read).")
        {
            common.Project, common.Json, background, outDir,
        };
        command.SetAction(async (parse, ct) =>
        {
            var result = await CliServices.Synthesizer(host).IndexAsync(new IndexRequest
            {
                ProjectRoot = parse.GetValue(common.Project),
                OutputRoot = parse.GetValue(outDir),
            }, ct)
                .ConfigureAwait(false);
            if (parse.GetValue(background))
            {
                return ExitCodes.Ok;
            }
            await host.Out.WriteLineAsync(parse.GetValue(common.Json) ? JsonSerializer.Serialize(result, CliJson.Options) : Text(result))
                .ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Text(IndexResult result) => result.AlreadyBuilding
        ? $"index of {result.Project}: another process is building it"
        : string.Create(CultureInfo.InvariantCulture,
            $"index of {result.Project}: {result.Indexed:N0} of {result.Files:N0} files ({result.Read:N0} read), {result.Bytes / (1024.0 * 1024):0.0} MiB, {result.Seconds:0.00} s");
}
