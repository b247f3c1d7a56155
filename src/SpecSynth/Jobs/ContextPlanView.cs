using Microsoft.Extensions.AI;
using SpecSynth.Config;
using SpecSynth.Context;
using SpecSynth.Prompting;
using SpecSynth.Providers;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Jobs;

/// <summary>
/// Plans the generate prompt exactly as generate would (the project as generate sees it, ranked, against every provider's
/// budget) without calling a model, and turns the plan into a <see cref="ContextResult"/>.
/// </summary>
internal static class ContextPlanView
{
    /// <summary>How the project is scanned for a context plan: the tree only (no contents read up front).</summary>
    public static ProjectScanOptions ContextScan { get; } = new() { ReadContents = false };

    public static async Task<ContextResult> PlanAsync(RunEnvironment env, EventSink sink, ContextRequest request, CancellationToken ct)
    {
        var (projectDir, config) = RunSetup.LoadConfig(env, request.ProjectRoot, request.Providers, request.Model);
        // The walk needs nothing from the spec: it runs (on its own threads) while the spec is parsed and the limits are
        // resolved, each mostly first-use work on one core. Its result, or its error, is taken after theirs, as before.
        using var walk = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var scanning = Task.Run(() => ScanAsync(env, request, config, walk.Token), walk.Token);
        Specification parsed;
        IReadOnlyList<ProviderLimit> limits;
        PromptBuilder prompts;
        try
        {
            // A warm run's spec is usually unchanged: its remembered parse is read instead of paying the parse's first-use costs.
            parsed = SpecMemo.ParseFile(env.FullPath(request.SpecPath), config.Context.Index ? SpecMemo.Folder(env.Services.StateDir) : null, ct);
            limits = await ProviderLimits.FromConfigAsync(config, env.GetEnv, withKeys: request.ExactTokens, sink.Warning, ct).ConfigureAwait(false);
            // The prompt templates need nothing from the walk either: loaded while it finishes, not
            // after the ranking.
            prompts = new PromptBuilder(PromptTemplates.Load(projectDir));
        }
        catch
        {
            await walk.CancelAsync().ConfigureAwait(false);
            await ((Task)scanning).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        var (contextDir, scanned) = await scanning.ConfigureAwait(false);
        var outputRoot = env.FullPath(request.OutputRoot ?? projectDir);
        var (project, edits) = await OwnFilesAsync(env, projectDir, request.SpecPath, scanned, outputRoot, ct).ConfigureAwait(false);
        var planRequest = new ContextPlanRequest(parsed, project)
        {
            Ranked = await new Context.Relevance.RelevanceRanker(null, Context.Index.ContextIndex.For(env.Services.StateDir, config.Context, env.Time, env.IndexDeferral))
                .RankAsync(parsed, project, ct).ConfigureAwait(false),
            SystemPrompt = config.For(config.Providers[0]).SystemPrompt,
            LocalEdits = edits,
        };
        using var targets = ContextTargets.Create(limits, env.Services.StateDir, request.ExactTokens, request.Budget, config.Context.Budget,
            rememberCounts: config.Context.Index);
        var plan = await new ContextPlanner(prompts).PlanAsync(planRequest, targets.All, ct).ConfigureAwait(false);
        if (plan.Warning is { } warning)
        {
            sink.Warning(warning);
        }
        return View(request.SpecPath, contextDir, plan, request.ShowPrompt) with { Understood = UnderstoodSpec.From(parsed, project.Language, project.Framework) };
    }

    /// <summary>The folder whose files give context, scanned for paths and sizes only, as generate's ranker and planner need:
    /// the ranker streams every file's content and the planner reads (redacted) only the files it packs, so nothing is read
    /// up front that the prompt will not use.</summary>
    private static async Task<(string Folder, ProjectContext Project)> ScanAsync(RunEnvironment env, ContextRequest request, SpecSynthConfig config,
        CancellationToken ct)
    {
        var contextDir = RunSetup.ContextFolder(env, request.ProjectRoot, request.OutputRoot);
        return (contextDir, await new ProjectScanner(ContextScan.WithState(env.Services.StateDir, config.Context)).ScanAsync(contextDir, ct).ConfigureAwait(false));
    }

    /// <summary>As generate sees the project: without the spec's unchanged own output, with its locally edited files first.</summary>
    private static async Task<(ProjectContext Project, IReadOnlyList<(string Path, string Content)> Edits)> OwnFilesAsync(RunEnvironment env,
        string projectDir, string specPath, ProjectContext scanned, string outputRoot, CancellationToken ct)
    {
        var store = new History.ConversationStore(History.ConversationStore.DefaultPath(env.GetEnv), env.Time);
        if (!File.Exists(store.FilePath))
        {
            return (scanned, []);
        }
        var key = History.ProjectKey.Project(projectDir);
        if (store.Latest(key, History.ProjectKey.Spec(key, env.FullPath(specPath))) is not { } earlier)
        {
            return (scanned, []);
        }
        var journal = new Output.JournalLookup(await new Output.WriteJournal(env.Services.StateDir, env.Time).ListAsync(ct).ConfigureAwait(false));
        return (History.OwnOutput.Exclude(scanned, earlier, journal),
            await History.LocalEdits.FindAsync(scanned, earlier, outputRoot, journal, ct).ConfigureAwait(false));
    }

    private static ContextResult View(string spec, string project, ContextPlan plan, bool showPrompt)
    {
        var tightest = plan.Tightest;
        return new ContextResult(spec, project, Budget(tightest.Budget), plan.TemplateTokens, plan.ItemTokens, tightest.PromptTokens, tightest.Exact,
            plan.Items.Select(i => new ContextItemView(i.Kind, i.Path, i.Tokens, i.State, i.Reasons)).ToList(),
            plan.Fits.Select(f => new ContextFitView(Budget(f.Budget), f.PromptTokens, f.Exact)).ToList(),
            plan.Prompt.Messages.Sum(m => m.Contents.Count(PromptCaching.IsBreakpoint)),
            showPrompt ? plan.Prompt.Messages.Select(m => new ContextMessageView(m.Role.Value,
                m.Contents.OfType<TextContent>().Select(c => new ContextContentView(c.Text, PromptCaching.IsBreakpoint(c))).ToList())).ToList() : null,
            plan.Warning);
    }

    private static ContextBudgetView Budget(ContextBudget b) =>
        new(b.Provider, b.Model, b.ContextWindow, b.ReplyReservation, b.Margin, b.PromptLimit, b.ExactCount, b.ConfiguredBudget);
}
