using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SpecSynth.Config;
using SpecSynth.Context;
using SpecSynth.Llm;
using SpecSynth.Projects;
using SpecSynth.Specs;

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
            var (projectDir, config) = RunContext.LoadConfig(host, parse, common);
            var exact = parse.GetValue(exactTokens);
            var specPath = parse.GetRequiredValue(spec);
            var parsed = await SpecParser.ParseFileAsync(host.FullPath(specPath), ct).ConfigureAwait(false);
            var limits = await ProviderLimits.FromConfigAsync(config, host.GetEnv, withKeys: exact, w => host.Error.WriteLine("warning: " + w), ct)
                .ConfigureAwait(false);
            var contextDir = RunContext.ContextFolder(host, parse, common, outDir);
            var scanned = await new ProjectScanner(new ProjectScanOptions()).ScanAsync(contextDir, ct).ConfigureAwait(false);
            var outputRoot = host.FullPath(parse.GetValue(outDir) ?? projectDir);
            var (project, edits) = await OwnFilesAsync(host, projectDir, specPath, scanned, outputRoot, ct).ConfigureAwait(false);
            var request = new ContextRequest(parsed, project)
            {
                Ranked = await new SpecSynth.Context.Relevance.RelevanceRanker().RankAsync(parsed, project, ct).ConfigureAwait(false),
                SystemPrompt = config.For(config.Providers[0]).SystemPrompt,
                LocalEdits = edits,
            };
            using var targets = ContextTargets.Create(limits, StatePaths.StateDir(host.GetEnv), exact, parse.GetValue(budget), config.Context.Budget);
            var plan = await new ContextPlanner(new PromptBuilder(PromptTemplates.Load(projectDir))).PlanAsync(request, targets.All, ct).ConfigureAwait(false);
            if (plan.Warning is { } warning)
            {
                await host.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
            }
            var json = parse.GetValue(common.Json);
            var understood = SpecUnderstanding.View(parsed, project.Language, project.Framework);
            var text = json ? JsonSerializer.Serialize(View(specPath, contextDir, plan, parse.GetValue(showPrompt)) with { Understood = understood }, CliJson.Options)
                : Text(specPath, plan, parse.GetValue(showPrompt)) + "\n" + SpecUnderstanding.Summary(parsed, project.Language, project.Framework);
            await host.Out.WriteLineAsync(text).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>As generate sees the project: without the spec's unchanged own output, with its locally edited files first.</summary>
    private static async Task<(ProjectContext Project, IReadOnlyList<(string Path, string Content)> Edits)> OwnFilesAsync(CliHost host,
        string projectDir, string specPath, ProjectContext scanned, string outputRoot, CancellationToken ct)
    {
        var store = new SpecSynth.History.ConversationStore(SpecSynth.History.ConversationStore.DefaultPath(host.GetEnv), host.Time);
        if (!File.Exists(store.FilePath))
        {
            return (scanned, []);
        }
        var key = SpecSynth.History.ProjectKey.Project(projectDir);
        if (store.Latest(key, SpecSynth.History.ProjectKey.Spec(key, host.FullPath(specPath))) is not { } earlier)
        {
            return (scanned, []);
        }
        var journal = await new SpecSynth.Output.WriteJournal(StatePaths.StateDir(host.GetEnv), host.Time).ListAsync(ct).ConfigureAwait(false);
        return (SpecSynth.History.OwnOutput.Exclude(scanned, earlier, journal),
            await SpecSynth.History.LocalEdits.FindAsync(scanned, earlier, outputRoot, journal, ct).ConfigureAwait(false));
    }

    private static ContextView View(string spec, string project, ContextPlan plan, bool showPrompt)
    {
        var tightest = plan.Tightest;
        return new ContextView(spec, project, Budget(tightest.Budget), plan.TemplateTokens, plan.ItemTokens, tightest.PromptTokens, tightest.Exact,
            plan.Items.Select(i => new ItemView(i.Kind, i.Path, i.Tokens, i.State, i.Reasons)).ToList(),
            plan.Fits.Select(f => new FitView(Budget(f.Budget), f.PromptTokens, f.Exact)).ToList(),
            plan.Prompt.Messages.Sum(m => m.Contents.Count(PromptCaching.IsBreakpoint)),
            showPrompt ? plan.Prompt.Messages.Select(m => new MessageView(m.Role.Value,
                m.Contents.OfType<TextContent>().Select(c => new ContentView(c.Text, PromptCaching.IsBreakpoint(c))).ToList())).ToList() : null,
            plan.Warning);
    }

    private static BudgetView Budget(ContextBudget b) =>
        new(b.Provider, b.Model, b.ContextWindow, b.ReplyReservation, b.Margin, b.PromptLimit, b.ExactCount, b.ConfiguredBudget);

    private static string Text(string spec, ContextPlan plan, bool showPrompt)
    {
        var sb = new StringBuilder();
        var t = plan.Tightest;
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
        foreach (var fit in plan.Fits.Where(f => f != t))
        {
            sb.Append("\n  also fits ").Append(fit.Budget.Provider).Append(' ').Append(fit.Budget.Model).Append(": ")
              .Append(N(fit.PromptTokens)).Append(" of ").Append(N(fit.Budget.PromptLimit));
        }
        if (showPrompt)
        {
            foreach (var message in plan.Prompt.Messages)
            {
                foreach (var content in message.Contents.OfType<TextContent>())
                {
                    sb.Append("\n----- ").Append(message.Role.Value).Append(PromptCaching.IsBreakpoint(content) ? " (cache breakpoint after this part)" : "")
                      .Append(" -----\n").Append(content.Text);
                }
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

    private sealed record ContextView(string Spec, string Project, BudgetView Budget, int TemplateTokens, int ItemTokens, int TotalTokens, bool Exact,
        IReadOnlyList<ItemView> Items, IReadOnlyList<FitView> Providers, int CacheBreakpoints, IReadOnlyList<MessageView>? Messages, string? Warning)
    {
        /// <summary>Title, language and framework (with evidence) and warnings, as the prompt will get them.</summary>
        public SpecUnderstanding.UnderstoodView? Understood { get; init; }
    }

    private sealed record BudgetView(string Provider, string Model, int? ContextWindow, int ReplyReservation, int Margin, int PromptLimit, bool ExactCount,
        int? ConfiguredBudget);

    private sealed record FitView(BudgetView Budget, int PromptTokens, bool Exact);

    private sealed record ItemView(ContextItemKind Kind, string? Path, int Tokens, ContextItemState State, IReadOnlyList<string> Reasons);

    private sealed record MessageView(string Role, IReadOnlyList<ContentView> Contents);

    private sealed record ContentView(string Text, bool CacheBreakpoint);
}
