using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using SpecSynth.Context;
using SpecSynth.Providers;
using SpecSynth.Output;
using SpecSynth.Projects;
using SpecSynth.Middleware;
using SpecSynth.Specs;
using SpecSynth.Usage;
using SpecSynth.Validation;
using SpecSynth.Parsing;
using SpecSynth.Prompting;

namespace SpecSynth.Generation;

/// <summary>
/// The seed's operations implemented once over any <see cref="IChatClient"/> (a provider pipeline or the mock).
/// Nothing here writes files: <see cref="GenerateCodeAsync"/> returns files whose paths are already confined to the
/// output folder, and fails as a whole when the reply is unusable. Thread-safe.
/// </summary>
internal sealed class LlmCodeGenerator : ICodeGenerator
{
    private readonly IChatClient _client;
    private readonly PromptBuilder _prompts;
    private readonly ContextPlanner _planner;
    private readonly string _provider;

    /// <summary>What a provider's "prompt too long" rejection shrinks the budget to: this share of the prompt's tokens
    /// (scaled by what the provider said about its size when it said so).</summary>
    public const double ShrinkFactor = 0.75;

    /// <summary>Creates a generator with the built-in prompt templates.</summary>
    /// <param name="client">The chat client (pipeline) to ask.</param>
    /// <param name="provider">The provider name reported in results (e.g. <c>claude</c>, <c>mock</c>).</param>
    public LlmCodeGenerator(IChatClient client, string provider)
        : this(client, provider, null)
    {
    }

    /// <summary>Creates a generator.</summary>
    /// <param name="client">The chat client (pipeline) to ask.</param>
    /// <param name="provider">The provider name reported in results (e.g. <c>claude</c>, <c>mock</c>).</param>
    /// <param name="prompts">The prompt builder; <c>null</c> uses the built-in templates.</param>
    internal LlmCodeGenerator(IChatClient client, string provider, PromptBuilder? prompts)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        _client = client;
        _provider = provider;
        _prompts = prompts ?? new PromptBuilder(PromptTemplates.BuiltIn);
        _planner = new ContextPlanner(_prompts);
    }

    /// <summary>The limits of every provider of the chain behind the client (<see cref="ProviderChoice.Limits"/>): the
    /// context is planned for the tightest. Empty: the first provider's catalog limits (200,000 tokens for the mock).</summary>
    public IReadOnlyList<ProviderLimit> Limits { get; init; } = [];

    /// <summary>Logs ranking and planning (<c>SpecSynth.Context</c>).</summary>
    public Microsoft.Extensions.Logging.ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The clock the stages are timed with; <c>null</c> for the process clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Ranks the project's files for a spec; <c>null</c> sends no file contents, only the project structure.</summary>
    public IRelevanceRanker? Ranker { get; init; }

    /// <summary>The most tokens a generate prompt may take (<c>[context] budget</c>), below each model's own limit; <c>null</c>: the whole window.</summary>
    public int? ContextBudget { get; init; }

    /// <summary>The state folder (token calibration), or <c>null</c> to keep calibration in memory.</summary>
    public string? StateDir { get; init; }

    /// <summary>Keeps exact token counts in the state folder's token-count cache (<c>[context] index</c>, on by default).</summary>
    public bool RememberTokenCounts { get; init; } = true;

    /// <summary>Plans the context of a generate request without calling a model: the prompt <see cref="GenerateCodeAsync"/>
    /// would send first, with every item's tokens, state and reasons.</summary>
    /// <exception cref="SpecSynthException"><see cref="ErrorKind.InvalidInput"/>: the spec alone does not fit the tightest budget.</exception>
    public async Task<ContextPlan> PlanContextAsync(Specification spec, ProjectContext projectContext, GenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(projectContext);
        options ??= GenerationOptions.Default;
        var request = await RequestAsync(spec, projectContext, options, cancellationToken).ConfigureAwait(false);
        using var targets = ContextTargets.Create(LimitsFor(options), StateDir, options.ExactTokens, cap: ContextBudget, rememberCounts: RememberTokenCounts);
        return await _planner.PlanAsync(request, targets.All, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<GeneratedCode> GenerateCodeAsync(Specification spec, ProjectContext projectContext,
        GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(projectContext);
        options ??= GenerationOptions.Default;
        // A prompt adjusted around earlier turns is a continuation of the spec's conversation (generate --continue).
        var operation = options.AdjustPrompt is null ? UsageOperations.Generate : UsageOperations.Continuation;
        var specLabel = options.Spec ?? spec.SourcePath ?? spec.Title;
        var clock = Time ?? Hosting.CompositionRoot.SystemClock;
        var planStart = clock.GetTimestamp();
        var request = await RequestAsync(spec, projectContext, options, cancellationToken).ConfigureAwait(false);
        using var targets = ContextTargets.Create(LimitsFor(options), StateDir, options.ExactTokens, cap: ContextBudget, rememberCounts: RememberTokenCounts);
        var plan = await PlanAsync(request, targets.All, cancellationToken).ConfigureAwait(false);
        options.OnPlanned?.Invoke(plan.TemplateTokens + plan.ItemTokens,
            plan.Items.Count(i => i.State == Context.ContextItemState.Whole),
            plan.Items.Count(i => i.State == Context.ContextItemState.Outline), clock.GetElapsedTime(planStart));
        if (plan.Warning is { } warning)
        {
            options.OnWarning?.Invoke(warning);
        }
        var prompt = plan.Prompt;
        ModelReply reply;
        try
        {
            reply = await AskAsync(prompt, options, operation, specLabel, cancellationToken).ConfigureAwait(false);
        }
        catch (ContextTooLongException ex)
        {
            // The provider counted more than we did: plan once more within a smaller budget; a second refusal propagates.
            var limit = ShrunkLimit(ex, plan);
            options.OnWarning?.Invoke($"{ex.Message}; retrying once with less project context (a budget of {ContextPlanner.N(limit)} tokens)");
            plan = await PlanAsync(request, [.. targets.All.Select(t => t.Shrunk(limit))], cancellationToken).ConfigureAwait(false);
            prompt = plan.Prompt;
            reply = await AskAsync(prompt, options, operation, specLabel, cancellationToken).ConfigureAwait(false);
        }
        var parsed = ResponseParser.Parse(reply.Text);
        var incomplete = parsed.Files.Where(f => !f.IsComplete).Select(f => f.Path)
            .Concat(parsed.Edits.Where(e => !e.IsComplete).Select(e => e.Path)).ToList();
        if (incomplete.Count > 0)
        {
            throw new SpecSynthException(ErrorKind.UnusableOutput,
                $"The reply was cut off (stop reason '{reply.StopReason}') inside {string.Join(", ", incomplete)}; " +
                "nothing was written. Raise max_tokens for this provider or split the specification.");
        }
        if (parsed.Files.Count == 0 && parsed.Edits.Count == 0)
        {
            throw new SpecSynthException(ErrorKind.UnusableOutput,
                $"The reply contained no file with a path (stop reason '{reply.StopReason}'); nothing was written. " +
                (parsed.Warnings.Count > 0 ? "Parser: " + string.Join("; ", parsed.Warnings) : "The model answered only in prose."));
        }
        var root = Path.GetFullPath(options.OutputRoot ?? projectContext.Root);
        var editContext = new Edits.EditContext(root, Path.GetFullPath(projectContext.Root), plan.Items
            .Where(i => i.Kind == ContextItemKind.File && i.Source is not null && i.Path is not null)
            .GroupBy(i => i.Path!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Source!, StringComparer.Ordinal))
        {
            RealOutputRoot = options.OutputRoot is null ? null : options.RealOutputRoot,
        };
        var applied = Edits.ReplyApplier.Apply(parsed, editContext, []);
        var files = applied.Files.ToList();
        var score = ConfidenceModel.Compute(new ConfidenceEvidence
        {
            StopReason = reply.StopReason,
            Files = files.Count + applied.Failures.Count,
            ParserWarnings = parsed.Warnings.Count,
            SyntaxUnvalidated = files.Count,
        });
        return new GeneratedCode
        {
            Files = files,
            Explanation = parsed.Explanation,
            Confidence = score.Value,
            ConfidenceEvidence = score.Evidence,
            ParserWarnings = parsed.Warnings,
            TokensUsed = reply.Usage,
            Provider = reply.Provider ?? _provider,
            SkippedProviders = reply.Skipped,
            Model = reply.ModelId ?? options.ModelId ?? "",
            StopReason = reply.StopReason,
            RawResponse = reply.Text,
            Prompt = prompt,
            ContextPlan = plan,
            CacheHit = reply.CacheHit,
            EditFailures = applied.Failures,
            EditOutcomes = applied.Outcomes,
            EditBlocks = applied.Blocks,
            EditContext = editContext,
        };
    }

    /// <inheritdoc />
    public async Task<Explanation> ExplainImplementationAsync(string code, Specification? spec,
        GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        options ??= GenerationOptions.Default;
        var reply = await AskAsync(_prompts.BuildExplain(code, spec, options.SystemPrompt), options, UsageOperations.Explain,
            options.Spec ?? spec?.SourcePath ?? spec?.Title, cancellationToken).ConfigureAwait(false);
        return new Explanation(reply.Text.Trim(), reply.Usage, reply.StopReason)
        {
            Provider = reply.Provider ?? _provider,
            Model = reply.ModelId ?? options.ModelId ?? "",
            CacheHit = reply.CacheHit,
        };
    }

    /// <inheritdoc />
    public async Task<CodeReview> ReviewCodeAsync(string code, IReadOnlyList<Requirement> requirements,
        GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(requirements);
        options ??= GenerationOptions.Default;
        // A reply that is not a readable review is never cached (the next run asks again).
        using var accepted = Caching.ResponseCacheCommit.Begin();
        var reply = await AskAsync(_prompts.BuildReview(code, requirements, options.SystemPrompt), options, UsageOperations.Review,
            options.Spec, cancellationToken).ConfigureAwait(false);
        var review = ReviewParser.Parse(reply.Text, requirements) with
        {
            TokensUsed = reply.Usage,
            Provider = reply.Provider ?? _provider,
            Model = reply.ModelId ?? options.ModelId ?? "",
            CacheHit = reply.CacheHit,
        };
        await accepted.CommitAsync(options.OnWarning, cancellationToken).ConfigureAwait(false);
        return review;
    }

    /// <summary>
    /// The budget after a provider refused a prompt as too long: the template and the spec (which are always sent) plus
    /// <see cref="ShrinkFactor"/> of the project context the refused prompt carried, as we counted it for that provider,
    /// scaled down further by the provider's own ratio when its message says how long the prompt was and what its
    /// maximum is ("210000 tokens &gt; 200000 maximum", "maximum context length is 128000 tokens. However, your messages
    /// resulted in 130000 tokens").
    /// </summary>
    internal static int ShrunkLimit(ContextTooLongException ex, ContextPlan plan)
    {
        var fit = plan.Fits.FirstOrDefault(f => f.Budget.Provider == ex.Provider) ?? plan.Tightest;
        var required = plan.TemplateTokens + plan.Items.Where(i => i.Kind == ContextItemKind.Specification).Sum(i => i.Tokens);
        double context = Math.Max(0, fit.PromptTokens - required) * ShrinkFactor;
        if (ProviderSaid(ex.Message) is { } said && said.Sent > said.Maximum)
        {
            context = context * said.Maximum / said.Sent;
        }
        return required + (int)context;
    }

    private static (long Sent, long Maximum)? ProviderSaid(string message)
    {
        if (Regex.Match(message, @"(\d+) tokens > (\d+) maximum", RegexOptions.CultureInvariant) is { Success: true } anthropic)
        {
            return (long.Parse(anthropic.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(anthropic.Groups[2].Value, CultureInfo.InvariantCulture));
        }
        if (Regex.Match(message, @"maximum context length is (\d+) tokens.*?resulted in (\d+) tokens", RegexOptions.CultureInvariant | RegexOptions.Singleline) is
            { Success: true } openai)
        {
            return (long.Parse(openai.Groups[2].Value, CultureInfo.InvariantCulture), long.Parse(openai.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        return null;
    }

    private async Task<ContextPlanRequest> RequestAsync(Specification spec, ProjectContext project, GenerationOptions options,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<Context.RankedFile> ranked = [];
        if (Ranker is not null)
        {
            using var stage = Stage("specsynth.rank");
            ranked = await Ranker.RankAsync(spec, project, cancellationToken).ConfigureAwait(false);
            stage.Tag("specsynth.files", ranked.Count);
            Telemetry.Log.Ranked(Logger, ranked.Count);
        }
        return new ContextPlanRequest(spec, project)
        {
            Ranked = ranked,
            PreviousImplementations = options.PreviousImplementations,
            LocalEdits = options.LocalEdits,
            SystemPrompt = options.SystemPrompt,
            Adjust = options.AdjustPrompt,
            Edits = options.Edits,
        };
    }

    /// <summary>Plans the prompt within <paramref name="targets"/> (a <c>specsynth.plan</c> stage).</summary>
    private async Task<ContextPlan> PlanAsync(ContextPlanRequest request, IReadOnlyList<ContextTarget> targets, CancellationToken cancellationToken)
    {
        using var stage = Stage("specsynth.plan");
        var plan = await _planner.PlanAsync(request, targets, cancellationToken).ConfigureAwait(false);
        var tokens = plan.TemplateTokens + plan.ItemTokens;
        Telemetry.Log.Planned(Logger, tokens, plan.Items.Count(i => i.State == Context.ContextItemState.Whole));
        stage.Tag("specsynth.prompt_tokens", tokens);
        return plan;
    }

    private Telemetry.Stage Stage(string name) => Telemetry.Stage.Begin(name, Logger, Time ?? Hosting.CompositionRoot.SystemClock);

    private IReadOnlyList<ProviderLimit> LimitsFor(GenerationOptions options)
    {
        if (Limits.Count > 0)
        {
            return Limits;
        }
        var model = options.ModelId ?? (_provider == "mock" ? SpecSynth.Providers.Mock.MockChatClient.ModelId : ModelCatalog.DefaultModel(_provider));
        var info = ModelCatalog.BuiltIn.Lookup(_provider, model);
        var window = _provider == "mock" ? 200_000 : info.ContextWindow;
        return [new ProviderLimit(_provider, model, window, options.MaxOutputTokens ?? info.MaxOutputTokens)];
    }

    private Task<ModelReply> AskAsync(ChatPrompt prompt, GenerationOptions options, string operation, string? spec,
        CancellationToken cancellationToken)
    {
        var chatOptions = UsageOperations.Tag(new ChatOptions
        {
            ModelId = options.ModelId,
            MaxOutputTokens = options.MaxOutputTokens,
            Temperature = options.Temperature,
        }, operation, spec);
        return ModelReply.GetAsync(_client, prompt, chatOptions, options.Stream, options.Progress, cancellationToken);
    }
}
