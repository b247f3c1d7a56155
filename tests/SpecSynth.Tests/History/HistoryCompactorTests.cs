using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.History;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.History;

public sealed class HistoryCompactorTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ConversationStore _store;
    private ScriptedChatClient? _llm;

    public HistoryCompactorTests() =>
        _store = new ConversationStore(_dir.Combine("history.db"), new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero)));

    public void Dispose() => _dir.Dispose();

    /// <summary>Four request/reply pairs; each reply is a ~2,000-character file (~580 tokens).</summary>
    private Conversation FourPairs()
    {
        var conversation = _store.Start("/p", "a.md", "A", "/p");
        for (var i = 1; i <= 4; i++)
        {
            _store.Append(conversation.Id,
            [
                new ConversationTurn(TurnRole.User, $"Instruction: step {i}"),
                new ConversationTurn(TurnRole.Assistant, $"Decision {i}: use a list.\n```csharp\n// filepath: src/File{i}.cs\n" + new string('x', 2000) + "\n```")
                {
                    Files = [$"src/File{i}.cs", "README.md"],
                },
            ]);
        }
        return _store.Get(conversation.Id)!;
    }

    private HistoryCompactor Compactor(Func<int, string> summary) =>
        new(_llm = new ScriptedChatClient(n => new ChatResponse(new ChatMessage(ChatRole.Assistant, summary(n)))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 900, OutputTokenCount = 40 },
        }), CharRatioTokenCounter.Instance, CompactionTemplate.BuiltIn);

    /// <summary>The messages of each call the last <see cref="Compactor"/> made.</summary>
    private IReadOnlyList<IReadOnlyList<ChatMessage>> Requests => _llm!.Requests;

    [Fact]
    public async Task WithinBudget_NothingIsAskedOrChanged()
    {
        var conversation = FourPairs();
        var compactor = Compactor(_ => "unused");

        var result = await compactor.FitAsync(_store, conversation, 100_000);

        Assert.False(result.Compacted);
        Assert.Empty(Requests);
        Assert.Same(conversation, result.Conversation);
        Assert.Equal(8, _store.Get(conversation.Id)!.Turns.Count);
    }

    [Fact]
    public async Task OverBudget_TheOldestTurnsAreSummarised_AndReplacedByOneFlaggedSummaryTurn_KeepingFileNames()
    {
        var conversation = FourPairs();
        var before = HistoryMessages.Cost(conversation.Turns, CharRatioTokenCounter.Instance);
        var budget = before / 2;
        var compactor = Compactor(_ => "We decided to use a list in every step.");

        var result = await compactor.FitAsync(_store, conversation, budget);

        Assert.True(result.Compacted);
        var request = Assert.Single(Requests);
        var prompt = request.Last().Text;
        Assert.Contains("Keep: every decision", prompt, StringComparison.Ordinal);
        Assert.Contains("Instruction: step 1", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("Instruction: step 4", prompt, StringComparison.Ordinal);

        var stored = _store.Get(conversation.Id)!;
        Assert.Equal(stored.Turns.Select(t => t.Text), result.Conversation.Turns.Select(t => t.Text));
        var summary = stored.Turns[0];
        Assert.True(summary.IsSummary);
        Assert.Equal(1, summary.Seq);
        Assert.Contains("We decided to use a list", summary.Text, StringComparison.Ordinal);
        var summarised = conversation.Turns.Take(result.TurnsSummarised).ToList();
        foreach (var file in summarised.SelectMany(t => t.Files))
        {
            Assert.Contains(file, summary.Text, StringComparison.Ordinal);
            Assert.Contains(file, summary.Files);
        }
        // The recent turns are kept word for word, starting at a request.
        Assert.Equal(conversation.Turns.Skip(result.TurnsSummarised).Select(t => t.Text), stored.Turns.Skip(1).Select(t => t.Text));
        Assert.Equal(TurnRole.User, stored.Turns[1].Role);
        Assert.Equal("Instruction: step 4", stored.Turns[^2].Text);
        Assert.InRange(result.TokensAfter, 1, budget);
        Assert.Equal(result.TokensAfter, HistoryMessages.Cost(stored.Turns, CharRatioTokenCounter.Instance));
        Assert.Equal((900L, 40L), (summary.InputTokens, summary.OutputTokens));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(700)]
    [InlineData(1500)]
    public async Task ALongSummary_IsCut_SoTheBudgetHolds_AndTheFileListSurvives(int budget)
    {
        var conversation = FourPairs();
        var compactor = Compactor(_ => string.Concat(Enumerable.Repeat("A very long summary sentence. ", 2000)));

        var result = await compactor.FitAsync(_store, conversation, budget);

        Assert.True(result.Compacted);
        var stored = _store.Get(conversation.Id)!;
        Assert.InRange(HistoryMessages.Cost(stored.Turns, CharRatioTokenCounter.Instance), 1, budget);
        Assert.StartsWith("Files written in the summarised turns: src/File1.cs, README.md", stored.Turns[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompactingTwice_SummarisesTheEarlierSummaryToo()
    {
        var conversation = FourPairs();
        var budget = HistoryMessages.Cost(conversation.Turns, CharRatioTokenCounter.Instance) / 2;
        var compactor = Compactor(n => $"summary {n}");
        var first = await compactor.FitAsync(_store, conversation, budget);
        _store.Append(conversation.Id,
        [
            new ConversationTurn(TurnRole.User, "Instruction: step 5"),
            new ConversationTurn(TurnRole.Assistant, new string('y', 3000)) { Files = ["src/File5.cs"] },
        ]);

        var second = await compactor.FitAsync(_store, _store.Get(conversation.Id)!, budget);

        Assert.True(first.Compacted && second.Compacted);
        Assert.Contains("[summary]", Requests[1].Last().Text, StringComparison.Ordinal);
        var turns = _store.Get(conversation.Id)!.Turns;
        Assert.Single(turns, t => t.IsSummary);
        Assert.Contains("src/File1.cs", turns[0].Text, StringComparison.Ordinal);
        Assert.InRange(HistoryMessages.Cost(turns, CharRatioTokenCounter.Instance), 1, budget);
    }

    [Fact]
    public async Task AnEmptySummary_IsUnusableOutput_AndTheHistoryIsUnchanged()
    {
        var conversation = FourPairs();
        var compactor = Compactor(_ => "  ");

        var ex = await Assert.ThrowsAsync<SpecSynthException>(() => compactor.FitAsync(_store, conversation, 500));

        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Equal(8, _store.Get(conversation.Id)!.Turns.Count);
    }
}
