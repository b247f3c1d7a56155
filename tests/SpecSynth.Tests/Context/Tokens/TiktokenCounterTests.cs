using Microsoft.ML.Tokenizers;
using SpecSynth.Context.Tokens;

namespace SpecSynth.Tests.Context.Tokens;

public sealed class TiktokenCounterTests
{
    [Theory]
    [InlineData("gpt-4o", "o200k_base")]
    [InlineData("gpt-4o-mini-2024-07-18", "o200k_base")]
    [InlineData("chatgpt-4o-latest", "o200k_base")]
    [InlineData("gpt-4.1", "o200k_base")]
    [InlineData("gpt-4.1-nano", "o200k_base")]
    [InlineData("gpt-5", "o200k_base")]
    [InlineData("gpt-5.1-codex", "o200k_base")]
    [InlineData("o1", "o200k_base")]
    [InlineData("o3-mini", "o200k_base")]
    [InlineData("o4-mini", "o200k_base")]
    [InlineData("openai/gpt-4o", "o200k_base")]
    [InlineData("gpt-4", "cl100k_base")]
    [InlineData("gpt-4-turbo-2024-04-09", "cl100k_base")]
    [InlineData("gpt-3.5-turbo", "cl100k_base")]
    [InlineData("text-embedding-3-small", "cl100k_base")]
    public void KnownOpenAIFamilies_MapToTheirEncoding(string model, string encoding)
    {
        Assert.Equal(encoding, OpenAIEncodings.ForModel(model));
        Assert.Equal(encoding, TiktokenCounter.ForModel(model)!.Encoding);
    }

    [Theory]
    [InlineData("qwen2.5-coder:7b")]
    [InlineData("llama-3.1-70b")]
    [InlineData("claude-sonnet-4-5")]
    [InlineData("o10-fantasy")]
    public void OtherModels_HaveNoTiktokenEncoding(string model)
    {
        Assert.Null(OpenAIEncodings.ForModel(model));
        Assert.Null(TiktokenCounter.ForModel(model));
    }

    [Fact]
    public void Cl100k_MatchesPublishedTokenIds()
    {
        // From OpenAI's tiktoken documentation: "tiktoken is great!" -> [83, 1609, 5963, 374, 2294, 0].
        var counter = TiktokenCounter.ForModel("gpt-4")!;
        Assert.Equal(6, counter.Count("tiktoken is great!"));
        Assert.Equal([83, 1609, 5963, 374, 2294, 0], TiktokenTokenizer.CreateForEncoding("cl100k_base").EncodeToIds("tiktoken is great!"));
        Assert.Equal(2, counter.Count("hello world"));
    }

    [Fact]
    public void O200k_DiffersFromCl100k_OnNonEnglishText()
    {
        // o200k has a far larger vocabulary for non-Latin scripts: the same Hindi sentence costs fewer tokens.
        const string Text = "नमस्ते, आप कैसे हैं? मैं ठीक हूँ, धन्यवाद।";
        var o200k = TiktokenCounter.ForModel("gpt-4o")!.Count(Text);
        var cl100k = TiktokenCounter.ForModel("gpt-4")!.Count(Text);
        Assert.True(o200k < cl100k, $"o200k {o200k} should be below cl100k {cl100k}");
    }

    public static TheoryData<string> Samples => new()
    {
        "",
        "hello world",
        "public sealed class Foo { public int Bar(int x) => x * 2; }\n",
        "Ünïcödé текст 中文字符 and emoji 🎉🚀 mixed in.",
        "    \t\n\n   indentation   and    spaces\r\n",
        string.Concat(Enumerable.Repeat("<file path=\"src/a.cs\">\nvar x = 1;\n</file>\n", 200)),
        "<|endoftext|> is a special marker",
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Counts_EqualTheTokenizersOwnCounts(string text)
    {
        foreach (var (model, encoding) in new[] { ("gpt-4o", "o200k_base"), ("gpt-3.5-turbo", "cl100k_base") })
        {
            var expected = TiktokenTokenizer.CreateForEncoding(encoding).EncodeToIds(text).Count;
            var counter = TiktokenCounter.ForModel(model)!;
            Assert.True(counter.IsExact);
            Assert.Equal(expected, counter.Count(text));
        }
    }

    [Fact]
    public void TheTokenizerIsCreatedOnceAndShared()
    {
        Assert.Same(TiktokenEncodings.Get("o200k_base"), TiktokenEncodings.Get("o200k_base"));
        Assert.NotSame(TiktokenEncodings.Get("o200k_base"), TiktokenEncodings.Get("cl100k_base"));
        Assert.Throws<ArgumentOutOfRangeException>(() => TiktokenEncodings.Get("p50k_base"));
    }

    [Fact]
    public void WholePrompt_AddsOpenAIsChatFormatOverhead()
    {
        // OpenAI's published rule for its chat models: 3 tokens per message plus 3 priming the reply.
        var counter = new PromptTokenCounter(TiktokenCounter.ForModel("gpt-4o")!);
        List<Microsoft.Extensions.AI.ChatMessage> messages =
        [
            new(Microsoft.Extensions.AI.ChatRole.System, "You write C#."),
            new(Microsoft.Extensions.AI.ChatRole.User, "hello world"),
        ];
        var text = TiktokenTokenizer.CreateForEncoding("o200k_base");
        Assert.Equal(text.CountTokens("You write C#.") + text.CountTokens("hello world") + (2 * 3) + 3, counter.Estimate(messages));
    }
}
