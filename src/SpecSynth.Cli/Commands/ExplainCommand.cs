using System.CommandLine;
using System.Text.Json;
using SpecSynth.Llm;
using SpecSynth.Specs;

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
        command.SetAction(async (parse, ct) => await RunAsync(host, parse.GetRequiredValue(files), parse.GetValue(spec),
            await RunContext.ResolveAsync(host, parse, common, "explain", ct).ConfigureAwait(false), ct).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> RunAsync(CliHost host, string[] files, string? specPath, RunContext run, CancellationToken cancellationToken)
    {
        using var client = run.Provider.Client;
        var code = await CodeFiles.ReadAsync(host, run.ProjectDir, files, cancellationToken).ConfigureAwait(false);
        var spec = specPath is null ? null : await SpecParser.ParseFileAsync(host.FullPath(specPath), cancellationToken).ConfigureAwait(false);
        var streamed = !run.Json && run.Stream;
        var progress = streamed ? new Progress(host.Out) : null;
        var generator = new LlmCodeGenerator(run.Provider.Client, run.Provider.Name, new PromptBuilder(PromptTemplates.Load(run.ProjectDir)));
        var options = run.Options(progress) with { Spec = specPath is null ? null : run.SpecLabel(specPath) };
        // The reply is cached only once it was shown in full (a failed or interrupted explain asks again next time).
        using var accepted = Caching.ResponseCacheCommit.Begin();
        var explanation = await generator.ExplainImplementationAsync(code, spec, options, cancellationToken).ConfigureAwait(false);
        if (run.Json)
        {
            var json = new
            {
                explanation.Provider,
                explanation.Model,
                explanation.StopReason,
                Usage = explanation.TokensUsed,
                CostUsd = explanation.CacheHit ? 0m : Math.Round(run.Provider.Cost(explanation.Provider, explanation.TokensUsed), 6),
                explanation.CacheHit,
                run.Route,
                run.Events.Events,
                explanation.Text,
            };
            await host.Out.WriteLineAsync(JsonSerializer.Serialize(json, CliJson.Options)).ConfigureAwait(false);
        }
        else if (!streamed)
        {
            await host.Out.WriteLineAsync(explanation.Text).ConfigureAwait(false);
        }
        else
        {
            await host.Out.WriteLineAsync().ConfigureAwait(false);
        }
        await accepted.CommitAsync(w => host.Error.WriteLine("warning: " + w), CancellationToken.None).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>Writes each streamed delta straight to stdout.</summary>
    private sealed class Progress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.Write(value);
    }
}
