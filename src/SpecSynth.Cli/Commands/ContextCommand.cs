using System.CommandLine;
using System.Globalization;
using System.Text;
using SpecSynth.Context;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// <c>specsynth context SPEC.md</c>: plans the generate prompt exactly as <c>generate</c> would and prints every item
/// (tokens, state, why) and the total against the budget, without calling a model. No API key is needed unless
/// <c>--exact-tokens</c> asks Anthropic's counting endpoint.
/// </summary>
internal static class ContextCommand
{
    public static Command Create(CliHost host)
    {
        var spec = new Argument<string>("spec") { Description = "The specification (markdown) to plan the context for." };
        var common = new CommonOptions();
        var budget = NumericOption.OptionalInt("--budget",
            "Tokens the whole prompt may take, 1 to 10000000 (instead of each model's context window − reply − margin).", 1, 10_000_000);
        var exactTokens = new Option<bool>("--exact-tokens") { Description = "Count Claude prompts with Anthropic's token-counting endpoint (needs the key)." };
        var showPrompt = new Option<bool>("--show-prompt") { Description = "Also print the prompt itself (with --json: as \"messages\")." };
        var outDir = new Option<string?>("--out") { Description = "The output folder generate would write to; without --project, also the folder whose files give context." };
        var command = new Command("context", "Show what generate would send for a spec: each item, its tokens, its state and why, against the budget.")
        {
            spec, common.Project, outDir, common.Provider, common.Model, common.MockLlm, common.Json, budget, exactTokens, showPrompt,
        };
        command.SetAction(async (parse, ct) =>
        {
            var specPath = parse.GetRequiredValue(spec);
            using var view = new RunEventView(host, json: true, several: false);
            var plan = await CliServices.Synthesizer(host).ContextAsync(new ContextRequest
            {
                SpecPath = specPath,
                ProjectRoot = parse.GetValue(common.Project),
                OutputRoot = parse.GetValue(outDir),
                Providers = common.ProvidersOf(parse),
                Model = parse.GetValue(common.Model),
                Budget = parse.GetValue(budget),
                ExactTokens = parse.GetValue(exactTokens),
                ShowPrompt = parse.GetValue(showPrompt),
                Progress = view,
            }, ct).ConfigureAwait(false);
            var text = parse.GetValue(common.Json) ? ContextJson.Write(plan)
                : Text(specPath, plan) + "\n" + SpecUnderstanding.Summary(plan.Understood!);
            await host.Out.WriteLineAsync(text).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Text(string spec, ContextResult plan)
    {
        var sb = new StringBuilder();
        var t = new ContextFitView(plan.Budget, plan.TotalTokens, plan.Exact);
        var b = t.Budget;
        sb.Append("context for ").Append(spec).Append(": ").Append(b.Provider).Append(' ').Append(b.Model).Append(", budget ")
          .Append(N(b.PromptLimit)).Append(" tokens");
        if (b.ContextWindow is { } window)
        {
            sb.Append(" (context window ").Append(N(window)).Append(" − reply ").Append(N(b.ReplyReservation)).Append(" − margin ")
              .Append(N(b.Margin)).Append(b.ConfiguredBudget is null ? ")" : ", at most [context] budget)");
        }
        else
        {
            sb.Append(" (--budget)");
        }
        sb.Append('\n');
        foreach (var item in plan.Items)
        {
            var name = item.Kind switch
            {
                ContextItemKind.Specification => "spec " + (item.Path ?? ""),
                ContextItemKind.File => "file " + item.Path,
                ContextItemKind.ProjectTree => "project structure",
                _ => "previous " + item.Path,
            };
            sb.Append(CultureInfo.InvariantCulture, $"  {State(item.State),-9} {N(item.Tokens),8}  {name}");
            if (item.Reasons.Count > 0)
            {
                sb.Append(" — ").Append(string.Join("; ", item.Reasons));
            }
            sb.Append('\n');
        }
        sb.Append("total ").Append(N(t.PromptTokens)).Append(" of ").Append(N(b.PromptLimit)).Append(" tokens (template ")
          .Append(N(plan.TemplateTokens)).Append(", items ").Append(N(plan.ItemTokens)).Append("; ")
          .Append(t.Exact ? "exact" : "estimate with its safety margin").Append(')');
        foreach (var fit in plan.Providers.Where(f => f != t))
        {
            sb.Append("\n  also fits ").Append(fit.Budget.Provider).Append(' ').Append(fit.Budget.Model).Append(": ")
              .Append(N(fit.PromptTokens)).Append(" of ").Append(N(fit.Budget.PromptLimit));
        }
        foreach (var message in plan.Messages ?? [])
        {
            foreach (var content in message.Contents)
            {
                sb.Append("\n----- ").Append(message.Role).Append(content.CacheBreakpoint ? " (cache breakpoint after this part)" : "")
                  .Append(" -----\n").Append(content.Text);
            }
        }
        return sb.ToString();
    }

    private static string State(ContextItemState state) => state switch
    {
        ContextItemState.PathOnly => "path-only",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
