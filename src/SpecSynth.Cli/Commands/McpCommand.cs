using System.CommandLine;
using SpecSynth.Cli.Mcp;

namespace SpecSynth.Cli.Commands;

/// <summary><c>specsynth mcp [--project DIR]</c>: serves the project to an MCP client over standard input and output. Nothing but
/// protocol messages goes to standard output; warnings and logs go to standard error.</summary>
internal static class McpCommand
{
    public static Command Create(CliHost host)
    {
        var project = new Option<string?>("--project") { Description = "The project folder the tools work in; every path must stay inside it. Default: the current folder." };
        var command = new Command("mcp", "Serve specsynth to MCP clients (Claude Code, VS Code, Cursor) over stdio.") { project };
        command.SetAction(async (parse, ct) =>
        {
            var root = host.FullPath(parse.GetValue(project) ?? ".");
            if (!Directory.Exists(root))
            {
                throw new SpecSynthException(ErrorKind.InvalidInput, $"The project folder '{root}' does not exist.");
            }
            var server = new SpecSynthMcpServer(root, host.GetEnv, host.Time, host.Error);
            await host.Error.WriteLineAsync($"specsynth mcp: serving {server.Project.Root} over stdio").ConfigureAwait(false);
            await using var input = host.OpenInput();
            await using var output = host.OpenOutput();
            try
            {
                await server.RunAsync(input, output, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM ends the server: that is its normal end, not an interruption of a run.
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
