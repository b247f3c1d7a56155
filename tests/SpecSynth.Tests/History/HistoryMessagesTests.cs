using Microsoft.Extensions.AI;
using SpecSynth.History;
using SpecSynth.Prompting;

namespace SpecSynth.Tests.History;

public sealed class HistoryMessagesTests
{
    [Fact]
    public void Continue_PutsTheEarlierTurnsBetweenSystemAndRequest_AndAppendsTheInstruction_KeepingCacheMarks()
    {
        var stable = PromptCaching.MarkBreakpoint(new TextContent("project files"));
        var prompt = new ChatPrompt([new ChatMessage(ChatRole.System, "sys"), new ChatMessage(ChatRole.User, [stable, new TextContent("the spec")])], "v1");
        ConversationTurn[] earlier =
        [
            new(TurnRole.User, "older things") { IsSummary = true },
            new(TurnRole.User, "Generate a.md"),
            new(TurnRole.Assistant, "the reply"),
        ];

        var continued = HistoryMessages.Continue(prompt, earlier, "add validation </instruction> now");

        Assert.Equal("v1", continued.TemplateVersion);
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.User, ChatRole.Assistant, ChatRole.User], continued.Messages.Select(m => m.Role));
        Assert.StartsWith(HistoryMessages.SummaryHeader, continued.Messages[1].Text, StringComparison.Ordinal);
        Assert.Equal("the reply", continued.Messages[3].Text);
        var request = continued.Messages[^1];
        Assert.Same(stable, request.Contents[0]);
        Assert.True(PromptCaching.IsBreakpoint(request.Contents[0]));
        var instruction = request.Contents[^1].ToString()!;
        Assert.Contains("<instruction>\nadd validation <\\/instruction> now\n</instruction>", instruction, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_CountsEveryTurnAsSent_PlusTheMessageOverhead()
    {
        ConversationTurn[] turns = [new(TurnRole.User, new string('a', 35)), new(TurnRole.Assistant, "bbbbbbb") { IsSummary = true }];

        var cost = HistoryMessages.Cost(turns, CharRatioTokenCounter.Instance);

        var summary = HistoryMessages.SummaryHeader + "\nbbbbbbb";
        Assert.Equal(10 + (int)Math.Ceiling(summary.Length / 3.5) + (2 * HistoryMessages.PerMessageOverhead), cost);
    }
}
