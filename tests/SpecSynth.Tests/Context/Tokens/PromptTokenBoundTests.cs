using Microsoft.Extensions.AI;
using SpecSynth.Context.Tokens;

namespace SpecSynth.Tests.Context.Tokens;

/// <summary>The budget's cheap bound of a prompt (its UTF-8 bytes plus the chat wrapping) is never below the exact count,
/// whatever the text: the tokenizers' worst cases (single-byte tokens, special tokens, lone surrogates, emoji) included.</summary>
public sealed class PromptTokenBoundTests
{
    public static TheoryData<string> Texts => new()
    {
        "",
        "The function takes a list of orders and returns the total per customer.",
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "a\u00e9\u00df\u00fc 1 2 3 4 5 6 7 8 9 0 ; ; ; ; \t\t\n\n\r\n  x",
        "\u5408\u8a08\u3092\u9867\u5ba2\u3054\u3068\u306b\u8fd4\u3059\u95a2\u6570 \ud83d\ude00\ud83d\ude80\ud83e\udd16 \u0915\u093e\u0930\u094d\u092f",
        "lone \ud800 high and \udc00 low surrogates \ud800\ud800\udc00\udc00 \ufffd\ufffd",
        "<|endoftext|><|endofprompt|><|endoftext|>x<|endoftext|>",
        string.Concat(Enumerable.Range(0, 2000).Select(i => (char)(i * 37 % 0xD000 + 1))),
        string.Concat(Enumerable.Repeat("{ \"id\": 12345678901234567890, \"x\": [1,2,3] }\n", 200)),
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void TheBound_IsNeverBelowTheExactCount(string text)
    {
        List<ChatMessage> messages = [new(ChatRole.System, "You are careful."), new(ChatRole.User, text), new(ChatRole.Assistant, text)];
        foreach (var encoding in new[] { OpenAIEncodings.O200kBase, OpenAIEncodings.Cl100kBase })
        {
            var counter = new PromptTokenCounter(TiktokenCounter.ForEncoding(encoding));

            var bound = counter.UpperBound(messages);

            Assert.NotNull(bound);
            Assert.InRange(counter.Estimate(messages), 0, bound!.Value);
        }
    }

    [Fact]
    public void AnEstimate_HasNoBound()
    {
        var counter = new PromptTokenCounter(new CalibratedEstimator("claude", "claude-sonnet-4-5"));

        Assert.Null(counter.UpperBound([new(ChatRole.User, "hi")]));
    }
}
