using Microsoft.Extensions.AI;
using SpecSynth.Middleware;
using SpecSynth.Prompting;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Middleware;

/// <summary>The gate every prompt passes: repair rounds, continuations and history included.</summary>
public sealed class RedactingChatClientTests
{
    private const string Key = "sk-ant-api03-Zq8rT4vW2xY6bN1mK9jH3gF5dS7aP0oL";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryTextOfEveryMessage_IsRedacted_AndCacheBreakpointsSurvive(bool stream)
    {
        var inner = new ScriptedChatClient(_ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
        using var client = new RedactingChatClient(inner);
        var prefix = PromptCaching.MarkBreakpoint(new TextContent($"project file: const string Key = \"{Key}\";"));
        ChatMessage[] messages =
        [
            new(ChatRole.System, "You write code."),
            new(ChatRole.User, [prefix, new TextContent("repair: src/a.cs:3: error near password = \"hunter2horse\"")]),
            new(ChatRole.Assistant, $"earlier turn used {Key}"),
        ];

        if (stream)
        {
            await foreach (var _ in client.GetStreamingResponseAsync(messages))
            {
            }
        }
        else
        {
            await client.GetResponseAsync(messages);
        }

        var sent = Assert.Single(inner.Requests);
        Assert.Equal(3, sent.Count);
        Assert.Same(messages[0], sent[0]);
        var all = string.Join("\n", sent.Select(m => m.Text));
        Assert.DoesNotContain(Key, all, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2horse", all, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", sent[1].Contents[0].ToString(), StringComparison.Ordinal);
        Assert.True(PromptCaching.IsBreakpoint(sent[1].Contents[0]));
        Assert.False(PromptCaching.IsBreakpoint(sent[1].Contents[1]));
        Assert.Contains(Key, messages[2].Text, StringComparison.Ordinal);
    }
}
