using System.CommandLine;
using System.Text.Json;
using SpecSynth.Parsing;

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
        command.SetAction(async (parse, ct) =>
        {
            using var view = new RunEventView(host, json: true, several: false);
            var review = await CliServices.Synthesizer(host).ReviewAsync(new ReviewRequest
            {
                Files = parse.GetRequiredValue(files),
                RequirementsPath = parse.GetValue(spec) ?? parse.GetValue(requirements),
                ProjectRoot = parse.GetValue(common.Project),
                Providers = common.ProvidersOf(parse),
                Model = parse.GetValue(common.Model),
                MaxCost = parse.GetValue(common.MaxCost),
                Cache = CacheFlags.Mode(parse, common),
                Stream = !parse.GetValue(common.NoStream),
                Progress = view,
            }, ct).ConfigureAwait(false);
            await WriteAsync(host, parse.GetValue(common.Json), review).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task WriteAsync(CliHost host, bool json, ReviewResult review)
    {
        if (json)
        {
            await host.Out.WriteLineAsync(JsonSerializer.Serialize(review, CliJson.Options)).ConfigureAwait(false);
            return;
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
    }
}
