using System.CommandLine;
using SpecSynth.Cli.Mcp;

namespace SpecSynth.Cli.Commands;

/// <summary><c>specsynth mcp [--project DIR] [--http PORT]</c>: serves the project to an MCP client over standard input and output
/// (nothing but protocol messages goes to standard output; warnings and logs go to standard error), or over Streamable HTTP on
/// the loopback interface.</summary>
internal static class McpCommand
{
    public static Command Create(CliHost host)
    {
        var project = new Option<string?>("--project") { Description = "The project folder the tools work in; every path must stay inside it. Default: the current folder." };
        var http = new Option<int?>("--http") { Description = "Serve Streamable HTTP at http://127.0.0.1:PORT/mcp instead of stdio (loopback only; SPECSYNTH_MCP_TOKEN, when set, is the bearer token)." };
        var command = new Command("mcp", "Serve specsynth to MCP clients (Claude Code, VS Code, Cursor) over stdio, or HTTP with --http.") { project, http };
        command.SetAction(async (parse, ct) =>
        {
            var root = host.FullPath(parse.GetValue(project) ?? ".");
            if (!Directory.Exists(root))
            {
                throw new SpecSynthException(ErrorKind.InvalidInput, $"The project folder '{root}' does not exist.");
            }
            var server = new SpecSynthMcpServer(root, host.GetEnv, host.Time, host.Error, host.Logs);
            if (parse.GetValue(http) is { } port)
            {
                if (port is < 0 or > 65535)
                {
                    throw new SpecSynthException(ErrorKind.InvalidInput, "--http takes a port from 0 to 65535 (0: any free port).");
                }
                var token = host.GetEnv(McpHttpHost.TokenVariable) is { Length: > 0 } t ? t : null;
                await McpHttpHost.RunAsync(server, port, token, host.Error, ct).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
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
