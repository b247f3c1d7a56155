using Microsoft.Extensions.AI;
using SpecSynth.Context.Tokens;
using SpecSynth.Prompting;
using SpecSynth.Tests.Context.Tokens;
using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

/// <summary>Where <see cref="AnthropicCacheBreakpoints.Apply"/> puts breakpoints with its default count (a shared estimate,
/// and no count at all when the prompt has fewer characters than the minimum), against an explicit estimator.</summary>
public sealed class AnthropicCacheBreakpointsTests
{
    private const string CacheControl = "anthropic:cache_control";

    private static bool Cached(AIContent content) => content.AdditionalProperties?.ContainsKey(CacheControl) == true;

    /// <summary>The (message, content) positions that carry cache control.</summary>
    private static List<(int, int)> Breakpoints(IEnumerable<ChatMessage> messages)
    {
        var list = messages.ToList();
        var found = new List<(int, int)>();
        for (var m = 0; m < list.Count; m++)
        {
            for (var c = 0; c < list[m].Contents.Count; c++)
            {
                if (Cached(list[m].Contents[c]))
                {
                    found.Add((m, c));
                }
            }
        }
        return found;
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", 1024)]
    [InlineData("claude-haiku-4-5", 2048)]
    public void SystemPromptOfExactlyTheMinimum_GetsABreakpoint_OneCharacterLessDoesNot(string model, int minimum)
    {
        // Non-ASCII characters are counted one token each: the one text whose tokens equal its characters.
        List<ChatMessage> atMinimum = [new(ChatRole.System, new string('é', minimum)), new(ChatRole.User, "spec")];
        List<ChatMessage> below = [new(ChatRole.System, new string('é', minimum - 1)), new(ChatRole.User, "spec")];

        var marked = AnthropicCacheBreakpoints.Apply(atMinimum, model);
        var unmarked = AnthropicCacheBreakpoints.Apply(below, model);

        Assert.NotSame(atMinimum, marked);
        Assert.Equal([(0, 0)], Breakpoints(marked));
        Assert.Same(below, unmarked);
        Assert.False(Cached(atMinimum[0].Contents[0]), "the caller's message is not modified");
    }

    [Fact]
    public void MarkedPrefix_OfExactlyTheMinimum_GetsABreakpoint_OneCharacterLessDoesNot()
    {
        static List<ChatMessage> Prompt(int characters) =>
        [
            new(ChatRole.System, ""),
            new(ChatRole.User, [PromptCaching.MarkBreakpoint(new TextContent(new string('ü', characters))), new TextContent("")]),
        ];
        var atMinimum = Prompt(1024);
        var below = Prompt(1023);

        Assert.Equal([(1, 0)], Breakpoints(AnthropicCacheBreakpoints.Apply(atMinimum, "claude-sonnet-4-5")));
        Assert.Same(below, AnthropicCacheBreakpoints.Apply(below, "claude-sonnet-4-5"));
    }

    public static TheoryData<int, int, int> Sizes => new()
    {
        // system characters, marked characters, unmarked characters
        { 13, 300, 20 },
        { 13, 3000, 20 },
        { 5000, 300, 20 },
        { 5000, 5000, 5000 },
        { 900, 200, 0 },
        { 0, 1100, 0 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void DefaultCount_PlacesTheSameBreakpoints_AsAnExplicitUncalibratedEstimator(int system, int marked, int rest)
    {
        var code = PromptCachingTests.Stable(system); // about 3 characters per requested token: cut to the characters wanted
        foreach (var model in new[] { "claude-sonnet-4-5", "claude-haiku-4-5" })
        {
            List<ChatMessage> prompt =
            [
                new(ChatRole.System, code[..Math.Min(system, code.Length)]),
                new(ChatRole.User, [PromptCaching.MarkBreakpoint(new TextContent(new string('x', marked))), new TextContent(new string('y', rest))]),
            ];
            var explicitCounter = new CalibratedEstimator(ProviderIds.Claude, model, margin: 0);

            Assert.Equal(Breakpoints(AnthropicCacheBreakpoints.Apply(prompt, model, explicitCounter)),
                Breakpoints(AnthropicCacheBreakpoints.Apply(prompt, model)));
        }
    }
}
