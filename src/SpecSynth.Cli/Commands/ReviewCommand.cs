using System.CommandLine;
using System.Text.Json;
using SpecSynth.Llm;
using SpecSynth.Specs;

namespace SpecSynth.Cli.Commands;

/// <summary><c>specsynth review FILE… [--spec SPEC | --requirements FILE]</c>: structured findings.</summary>
internal static class ReviewCommand
{
    public static Command Create(CliHost host)
    {
        var files = new Argument<string[]>("files") { Description = "The code files to review.", Arity = ArgumentArity.OneOrMore };
        var spec = new Option<string?>("--spec") { Description = "The specification whose requirements to check." };
        var requirements = new Option<string?>("--requirements") { Description = "A markdown file listing the requirements." };
        CommonOptions.RejectOptionLikeValues(files);
        var common = new CommonOptions();
        var command = new Command("review", "Review code against requirements.") { files, spec, requirements };
        common.AddTo(command);
        command.Validators.Add(r =>
        {
            // Presence, not values: reading a value the parser could not convert (--spec given twice) would throw here.
            if (r.GetResult(spec) is not null && r.GetResult(requirements) is not null)
            {
                r.AddError("Give --spec or --requirements, not both.");
            }
        });
        command.SetAction(async (parse, ct) => await RunAsync(host, parse.GetRequiredValue(files), parse.GetValue(spec) ?? parse.GetValue(requirements),
            await RunContext.ResolveAsync(host, parse, common, "review", ct).ConfigureAwait(false), ct).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> RunAsync(CliHost host, string[] files, string? requirementsPath, RunContext run, CancellationToken cancellationToken)
    {
        using var client = run.Provider.Client;
        var code = await CodeFiles.ReadAsync(host, run.ProjectDir, files, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Requirement> requirements = requirementsPath is null ? [] :
            (await SpecParser.ParseFileAsync(host.FullPath(requirementsPath), cancellationToken).ConfigureAwait(false)).Requirements;
        var generator = new LlmCodeGenerator(run.Provider.Client, run.Provider.Name, new PromptBuilder(PromptTemplates.Load(run.ProjectDir)));
        var options = run.Options(null) with { Spec = requirementsPath is null ? null : run.SpecLabel(requirementsPath) };
        var review = await generator.ReviewCodeAsync(code, requirements, options, cancellationToken).ConfigureAwait(false);
        if (run.Json)
        {
            var json = new
            {
                review.Provider,
                review.Model,
                review.Summary,
                review.Requirements,
                review.Issues,
                Usage = review.TokensUsed,
                CostUsd = review.CacheHit ? 0m : Math.Round(run.Provider.Cost(review.Provider, review.TokensUsed), 6),
                review.CacheHit,
                run.Route,
                run.Events.Events,
            };
            await host.Out.WriteLineAsync(JsonSerializer.Serialize(json, CliJson.Options)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        await host.Out.WriteLineAsync(review.Summary).ConfigureAwait(false);
        foreach (var finding in review.Requirements)
        {
            var mark = finding.Status switch
            {
                RequirementStatus.Met => "[met]    ",
                RequirementStatus.Partly => "[partly] ",
                RequirementStatus.NotMet => "[not met]",
                _ => "[unknown]",
            };
            await host.Out.WriteLineAsync($"{mark} {finding.Requirement}\n          {finding.Evidence}").ConfigureAwait(false);
        }
        foreach (var issue in review.Issues)
        {
            await host.Out.WriteLineAsync($"{issue.Severity}: {issue.Location}: {issue.Message}").ConfigureAwait(false);
        }
        return ExitCodes.Ok;
    }
}
