using System.CommandLine;
using System.Text.Json;

namespace SpecSynth.Cli;

/// <summary>Reports a failure: one line on stderr, and with <c>--json</c> an error object on stdout; the message is
/// redacted (<see cref="Redaction"/>) for both.</summary>
internal static class Failure
{
    public static async Task<int> ReportAsync(CliHost host, ParseResult parse, int exitCode, string message)
    {
        message = Redaction.Redact(message);
        await host.Error.WriteLineAsync("error: " + message).ConfigureAwait(false);
        if (parse.Tokens.Any(t => t.Value == "--json"))
        {
            var json = JsonSerializer.Serialize(new ErrorJson(new ErrorBody(ExitCodes.Name(exitCode), message, exitCode)), CliJson.Options);
            await host.Out.WriteLineAsync(json).ConfigureAwait(false);
        }
        return exitCode;
    }

    private sealed record ErrorJson(ErrorBody Error);

    private sealed record ErrorBody(string Kind, string Message, int ExitCode);
}
