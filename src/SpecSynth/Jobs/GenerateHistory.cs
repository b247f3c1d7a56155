using SpecSynth.History;
using SpecSynth.Generation;
using SpecSynth.Providers;
using SpecSynth.Specs;

namespace SpecSynth.Jobs;

/// <summary>
/// The conversation of one spec's generation: for <c>--continue</c>, the latest conversation of the spec in the
/// project (compacted to the budget when needed), whose turns go before the request; afterwards, the request and the
/// reply are stored (a new conversation without <c>--continue</c>). Dry runs and failures store nothing.
/// </summary>
internal sealed class GenerateHistory
{
    /// <summary>The largest default budget for the earlier turns, in tokens.</summary>
    public const int MaxDefaultBudget = 32_000;

    private readonly EventSink _sink;
    private readonly ConversationStore _store;
    private readonly string _project;
    private readonly string _spec;
    private readonly string _title;
    private readonly string? _instruction;
    private Conversation? _conversation;
    private Conversation? _earlier;

    private GenerateHistory(EventSink sink, ConversationStore store, string project, string spec, string title, string? instruction,
        Conversation? conversation)
    {
        (_sink, _store, _project, _spec, _title, _instruction, _conversation) = (sink, store, project, spec, title, instruction, conversation);
    }

    /// <summary>The conversation continued, or <c>null</c> for a new one.</summary>
    public Conversation? Continued => _instruction is null ? null : _conversation;

    /// <summary>Begins the history of one spec's generation: the latest conversation of the spec, continued or not.</summary>
    /// <param name="run">The run.</param>
    /// <param name="project">The run's project key (<see cref="ProjectKey.Project"/> of <c>run.ProjectDir</c>).</param>
    /// <param name="store">The run's conversation store (kept open for the run, owned by the caller).</param>
    /// <param name="sink">Hears the history events.</param>
    /// <param name="specPath">The spec's path.</param>
    /// <param name="spec">The parsed spec.</param>
    /// <param name="continueWith">The <c>--continue</c> instruction, or <c>null</c> for a new conversation.</param>
    /// <param name="budgetTokens">The history budget, or <c>null</c> for the default.</param>
    /// <param name="cancellationToken">Cancels the compaction.</param>
    public static async Task<GenerateHistory> BeginAsync(RunSetup run, string project, ConversationStore store, EventSink sink, string specPath, Specification spec,
        string? continueWith, int? budgetTokens, CancellationToken cancellationToken)
    {
        var specKey = ProjectKey.Spec(project, run.Env.FullPath(specPath));
        if (continueWith is not { } instruction)
        {
            return new GenerateHistory(sink, store, project, specKey, spec.Title, null, null) { _earlier = store.Latest(project, specKey) };
        }
        var conversation = store.Latest(project, specKey) ?? throw new SpecSynthException(ErrorKind.InvalidInput,
            $"No earlier generation of {specKey} in this project ({project}); run 'specsynth generate {specPath}' first " +
            "(without --continue), or give the --project the spec was generated in.");
        var budget = budgetTokens ?? DefaultBudget(run);
        var compactor = new HistoryCompactor(run.Provider.Client, CharRatioTokenCounter.Instance, CompactionTemplate.Load(run.ProjectDir));
        var fit = await compactor.FitAsync(store, conversation, budget, run.Options(null) with { Spec = run.SpecLabel(specPath) }, cancellationToken)
            .ConfigureAwait(false);
        if (fit.Compacted)
        {
            sink.Report(new HistoryEvent($"summarised {fit.TurnsSummarised} earlier turns of conversation {conversation.Id} " +
                $"to fit the history budget ({fit.TokensBefore} -> {fit.TokensAfter} of {budget} tokens)"));
        }
        sink.Report(new HistoryEvent($"continuing conversation {conversation.Id} of {specKey} " +
            $"({fit.Conversation.Turns.Count} earlier turns, ~{fit.TokensAfter} tokens)"));
        return new GenerateHistory(sink, store, project, specKey, spec.Title, instruction, fit.Conversation);
    }

    /// <summary>The call options with the continuation applied (earlier turns and the instruction around the request,
    /// the previous implementations for the context planner).</summary>
    public GenerationOptions Apply(GenerationOptions options)
    {
        if (_instruction is null || _conversation is null)
        {
            return options;
        }
        var (turns, instruction) = (_conversation.Turns, _instruction);
        return options with
        {
            AdjustPrompt = p => HistoryMessages.Continue(p, turns, instruction),
            PreviousImplementations = PreviousImplementations.Read(_conversation),
        };
    }

    /// <summary>The project context for a new conversation: without the files the spec's earlier generation created and
    /// nobody changed since (<see cref="OwnOutput"/>), so an unchanged spec over an unchanged project sends the same
    /// prompt again. A continuation sees them (as previous implementations).</summary>
    /// <param name="project">The scanned project.</param>
    /// <param name="journal">The write journal's runs, indexed; asked only when the spec was generated before.</param>
    public async Task<Projects.ProjectContext> ContextAsync(Projects.ProjectContext project, Func<Task<Output.JournalLookup>> journal)
    {
        if (_instruction is not null || _earlier is null)
        {
            return project;
        }
        return OwnOutput.Exclude(project, _earlier, await journal().ConfigureAwait(false));
    }

    /// <summary>The files of the spec's latest generation that the user changed since they were written to
    /// <paramref name="outputRoot"/> (<see cref="LocalEdits"/>): sent whole, first, in a new generation and a continuation alike.</summary>
    public async Task<IReadOnlyList<(string Path, string Content)>> LocalEditsAsync(Projects.ProjectContext project, string outputRoot,
        Func<Task<Output.JournalLookup>> journal, CancellationToken cancellationToken)
    {
        var latest = _instruction is null ? _earlier : _conversation;
        return latest is null ? [] : await LocalEdits.FindAsync(project, latest, outputRoot, await journal().ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Stores the request and the reply and returns the conversation id. A failure to store is a warning (and
    /// <c>null</c>): the files are already written.</summary>
    public long? Record(GenerateOutcome outcome)
    {
        var result = outcome.Result;
        var templates = result.Prompt?.TemplateVersion ?? "";
        var request = _instruction is null
            ? $"Generate the code for the specification {_spec} (\"{_title}\"; prompt templates {templates})."
            : $"Continue the work on the specification {_spec} (\"{_title}\"; prompt templates {templates}).\nInstruction: {_instruction.Trim()}";
        var reply = new ConversationTurn(TurnRole.Assistant, result.RawResponse)
        {
            Provider = result.Provider,
            Model = result.Model,
            InputTokens = result.TokensUsed.InputTokens + result.TokensUsed.CacheReadTokens + result.TokensUsed.CacheWriteTokens,
            OutputTokens = result.TokensUsed.OutputTokens,
            Files = outcome.Plan.Files.Select(f => f.Path).ToList(),
        };
        try
        {
            ConversationTurn[] turns = [new ConversationTurn(TurnRole.User, request), reply];
            if (_conversation is null)
            {
                // A new conversation and its first two turns: one transaction.
                _conversation = _store.Start(_project, _spec, _title, outcome.Plan.OutputRoot, turns);
                return _conversation.Id;
            }
            var stored = _store.Append(_conversation.Id, turns, outcome.Plan.OutputRoot);
            _conversation = _conversation with { Turns = [.. _conversation.Turns, .. stored] };
            return _conversation.Id;
        }
        catch (Exception ex) when (ex is SpecSynthException or Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            _sink.Warning($"the conversation was not saved to the history: {ex.Message}");
            return null;
        }
    }

    /// <summary>A quarter of the first model's context window, at most <see cref="MaxDefaultBudget"/> (the mock, which has
    /// no window, gets the maximum).</summary>
    private static int DefaultBudget(RunSetup run)
    {
        if (run.Provider.Name == "mock")
        {
            return MaxDefaultBudget;
        }
        var window = run.Env.Services.Catalog.Lookup(run.Provider.Name, run.Provider.Model).ContextWindow;
        return window <= 0 ? 8_000 : Math.Clamp(window / 4, HistoryCompactor.MinBudget * 4, MaxDefaultBudget);
    }
}
