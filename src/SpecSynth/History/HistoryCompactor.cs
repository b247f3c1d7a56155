using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using SpecSynth.Context;
using SpecSynth.Generation;
using SpecSynth.Prompting;

namespace SpecSynth.History;

/// <summary>
/// Keeps a conversation within a token budget. When its turns cost more than the budget, the oldest turns are
/// summarised by the model (the <c>compact</c> template: decisions, file names, constraints) and replaced, in the
/// store, by one summary turn flagged as such; the recent turns (up to half the budget, starting at a request) stay
/// word for word. The summary starts with the list of files the replaced turns wrote, whatever the model says, and
/// is cut so that summary + recent turns never exceed the budget. Thread-safe.
/// </summary>
internal sealed class HistoryCompactor
{
    /// <summary>The most characters of one turn put into the summary request (head and tail are kept).</summary>
    public const int MaxTurnCharsInTranscript = 8_000;

    /// <summary>The smallest budget accepted, in tokens.</summary>
    public const int MinBudget = 256;

    private readonly IChatClient _client;
    private readonly ITokenCounter _counter;
    private readonly string _template;

    /// <summary>Creates a compactor.</summary>
    /// <param name="client">Asked for the summaries.</param>
    /// <param name="counter">Counts the tokens of the turns.</param>
    /// <param name="template">The compaction template (<see cref="CompactionTemplate.Load"/>).</param>
    public HistoryCompactor(IChatClient client, ITokenCounter counter, string template)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentException.ThrowIfNullOrWhiteSpace(template);
        (_client, _counter, _template) = (client, counter, template);
    }

    /// <summary>Returns <paramref name="conversation"/> unchanged when its turns fit <paramref name="budgetTokens"/>;
    /// otherwise compacts it (storing the summary in <paramref name="store"/>) and returns the compacted conversation.</summary>
    public async Task<CompactionResult> FitAsync(ConversationStore store, Conversation conversation, int budgetTokens,
        GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetTokens, MinBudget);
        var turns = conversation.Turns;
        var before = HistoryMessages.Cost(turns, _counter);
        if (before <= budgetTokens)
        {
            return new CompactionResult(conversation, false, before, before, 0);
        }
        var split = TailStart(turns, budgetTokens / 2);
        var old = turns.Take(split).ToList();
        var tail = turns.Skip(split).ToList();
        var reply = await SummariseAsync(old, budgetTokens, options, cancellationToken).ConfigureAwait(false);
        var files = old.SelectMany(t => t.Files).Distinct(StringComparer.Ordinal).ToList();
        var text = (files.Count == 0 ? "" : "Files written in the summarised turns: " + string.Join(", ", files) + "\n\n") + reply.Text.Trim();
        var summary = new ConversationTurn(TurnRole.User, text)
        {
            Provider = reply.Provider,
            Model = reply.ModelId,
            InputTokens = reply.Usage.InputTokens + reply.Usage.CacheReadTokens + reply.Usage.CacheWriteTokens,
            OutputTokens = reply.Usage.OutputTokens,
            Files = files,
            IsSummary = true,
        };
        summary = Cut(summary, budgetTokens - HistoryMessages.Cost(tail, _counter));
        var stored = store.ReplaceWithSummary(conversation.Id, old.Select(t => t.Id).ToList(), summary);
        var compacted = conversation with { Turns = [stored, .. tail] };
        return new CompactionResult(compacted, true, before, HistoryMessages.Cost(compacted.Turns, _counter), old.Count);
    }

    /// <summary>Where the kept tail starts: the most recent turns that fit <paramref name="tailBudget"/>, starting at a
    /// user turn, with at least one older turn left to summarise.</summary>
    private int TailStart(IReadOnlyList<ConversationTurn> turns, int tailBudget)
    {
        var start = turns.Count;
        var cost = 0;
        while (start > 0)
        {
            var next = HistoryMessages.Cost([turns[start - 1]], _counter);
            if (cost + next > tailBudget)
            {
                break;
            }
            cost += next;
            start--;
        }
        while (start < turns.Count && (turns[start].Role != TurnRole.User || turns[start].IsSummary))
        {
            start++;
        }
        return Math.Max(start, 1);
    }

    private async Task<ModelReply> SummariseAsync(List<ConversationTurn> old, int budgetTokens, GenerationOptions? options,
        CancellationToken cancellationToken)
    {
        var transcript = new StringBuilder();
        foreach (var turn in old)
        {
            var label = turn.IsSummary ? "summary" : turn.Role == TurnRole.User ? "user" : "assistant";
            transcript.Append('[').Append(label).Append("]\n").Append(Shorten(turn.Text)).Append("\n\n");
        }
        var maxWords = Math.Clamp(budgetTokens / 4, 50, 1500);
        var user = TemplateRenderer.Render(_template, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["conversation"] = TemplateRenderer.EscapeData(transcript.ToString().TrimEnd(), "conversation"),
            ["max_words"] = maxWords.ToString(CultureInfo.InvariantCulture),
        });
        var prompt = new ChatPrompt(
            [new ChatMessage(ChatRole.System, "You compact the history of a code-generation conversation. Be faithful and brief."),
             new ChatMessage(ChatRole.User, user)],
            "compact");
        var chatOptions = Usage.UsageOperations.Tag(new ChatOptions { ModelId = options?.ModelId, Temperature = options?.Temperature },
            Usage.UsageOperations.Compact, options?.Spec);
        var reply = await ModelReply.GetAsync(_client, prompt, chatOptions, options?.Stream ?? true, progress: null, cancellationToken)
            .ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(reply.Text))
        {
            throw new SpecSynthException(ErrorKind.UnusableOutput,
                $"The model returned an empty summary when compacting the conversation history (stop reason '{reply.StopReason}'); " +
                "nothing was changed. Try again, or raise --history-budget.");
        }
        return reply;
    }

    private static string Shorten(string text)
    {
        if (text.Length <= MaxTurnCharsInTranscript)
        {
            return text;
        }
        var head = MaxTurnCharsInTranscript * 3 / 4;
        var tail = MaxTurnCharsInTranscript - head;
        return text[..head] + $"\n… [{text.Length - head - tail} characters left out] …\n" + text[^tail..];
    }

    /// <summary>Cuts the summary's text until it costs at most <paramref name="allowed"/> tokens (the file list comes
    /// first, so it is the last thing cut).</summary>
    private ConversationTurn Cut(ConversationTurn summary, int allowed)
    {
        const string Mark = " …";
        var text = summary.Text;
        while (text.Length > 0 && HistoryMessages.Cost([summary with { Text = text }], _counter) > allowed)
        {
            var cost = HistoryMessages.Cost([summary with { Text = text }], _counter);
            var keep = (int)((long)text.Length * Math.Max(0, allowed) / cost) - Mark.Length - 1;
            keep = Math.Min(keep, text.Length - 1);
            text = keep <= 0 ? "" : text[..keep] + Mark;
        }
        return summary with { Text = text };
    }
}
