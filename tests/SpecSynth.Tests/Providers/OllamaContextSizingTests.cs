using SpecSynth.Tests.Fakes;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

public sealed class OllamaContextSizingTests
{
    private static int? NumCtx(ChatOptions options) =>
        options.AdditionalProperties?.TryGetValue("num_ctx", out var v) == true ? Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    [Fact]
    public void NumCtx_CoversPromptAndReply_RoundedUp_AndCappedByTheModel()
    {
        using var client = new OllamaContextSizingChatClient(new ScriptedChatClient("x"), modelContextLength: 32_768);
        var small = client.Sized([new ChatMessage(ChatRole.User, new string('a', 3000))], new ChatOptions { MaxOutputTokens = 1000 });
        var huge = client.Sized([new ChatMessage(ChatRole.User, new string('a', 300_000))], new ChatOptions { MaxOutputTokens = 1000 });

        Assert.Equal(4096, NumCtx(small)); // 1000 + 64 + 1000 tokens -> 2,064 -> next multiple of 2,048
        Assert.Equal(32_768, NumCtx(huge));
    }

    [Fact]
    public void CallersOwnNumCtx_IsKept_AndTheirOptionsAreNotMutated()
    {
        using var client = new OllamaContextSizingChatClient(new ScriptedChatClient("x"), modelContextLength: 32_768);
        var mine = new ChatOptions { AdditionalProperties = new() { ["num_ctx"] = 1234 } };
        var plain = new ChatOptions();

        Assert.Equal(1234, NumCtx(client.Sized([new ChatMessage(ChatRole.User, "hi")], mine)));
        client.Sized([new ChatMessage(ChatRole.User, "hi")], plain);
        Assert.Null(plain.AdditionalProperties);
    }
}
