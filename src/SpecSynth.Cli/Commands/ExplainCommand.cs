using System.CommandLine;
using System.Text.Json;

namespace SpecSynth.Cli.Commands;

/// <summary><c>specsynth explain FILE… [--spec SPEC]</c>: explains code, streamed to stdout.</summary>
internal static class ExplainCommand
{
    public static Command Create(CliHost host)
    {
        var files = new Argument<string[]>("files") { Description = "The code files to explain.", Arity = ArgumentArity.OneOrMore };
        var spec = new Option<string?>("--spec") { Description = "The specification the code implements." };
        CommonOptions.RejectOptionLikeValues(files);
        var common = new CommonOptions();
        var command = new Command("explain", "Explain how code implements a specification.") { files, spec };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(common.Json);
            var stream = !parse.GetValue(common.NoStream);
            var streamed = !json && stream;
            using var view = new RunEventView(host, json: true, several: false);
            var explanation = await CliServices.Synthesizer(host).ExplainAsync(new ExplainRequest
            {
                Files = parse.GetRequiredValue(files),
                SpecPath = parse.GetValue(spec),
                ProjectRoot = parse.GetValue(common.Project),
                Providers = common.ProvidersOf(parse),
                Model = parse.GetValue(common.Model),
                MaxCost = parse.GetValue(common.MaxCost),
                Cache = CacheFlags.Mode(parse, common),
                Stream = stream,
                Progress = streamed ? new StreamedText(host.Out, view) : view,
            }, ct).ConfigureAwait(false);
            if (json)
            {
                await host.Out.WriteLineAsync(JsonSerializer.Serialize(explanation, CliJson.Options)).ConfigureAwait(false);
            }
            else if (!streamed)
            {
                await host.Out.WriteLineAsync(explanation.Text).ConfigureAwait(false);
            }
            else
            {
                await host.Out.WriteLineAsync().ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Writes each streamed delta straight to stdout; every other event goes to the stderr view.</summary>
    private sealed class StreamedText(TextWriter writer, IProgress<SpecSynthEvent> other) : IProgress<SpecSynthEvent>
    {
        public void Report(SpecSynthEvent value)
        {
            if (value is ReplyDeltaEvent delta)
            {
                writer.Write(delta.Delta);
            }
            else
            {
                other.Report(value);
            }
        }
    }
}
