using SpecSynth.Providers;

namespace SpecSynth.Tests.Providers;

public sealed class ModelCatalogTests
{
    [Theory]
    [InlineData("claude", "claude-haiku-4-5-20251001", "claude-haiku-4-5")]
    [InlineData("claude", "claude-sonnet-4-5", "claude-sonnet-4-5")]
    [InlineData("openai", "gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("openai", "gpt-4.1-mini-2025-04-14", "gpt-4.1-mini")]
    [InlineData("openai", "o3-2025-04-16", "o3")]
    [InlineData("anthropic", "claude-opus-4-1-20250805", "claude-opus-4-1")]
    public void DatedIds_FindTheirModel(string provider, string model, string expectedId)
    {
        var info = ModelCatalog.BuiltIn.Lookup(provider, model);

        Assert.True(info.IsKnown);
        Assert.Equal(expectedId, info.Id);
    }

    [Fact]
    public void ReasoningModels_RejectTemperature_AndUseMaxCompletionTokens()
    {
        foreach (var id in new[] { "o3", "o4-mini", "gpt-5", "gpt-5-mini" })
        {
            var info = ModelCatalog.BuiltIn.Lookup("openai", id);
            Assert.True(info.RejectsTemperature, id);
            Assert.True(info.UsesMaxCompletionTokens, id);
        }
        Assert.False(ModelCatalog.BuiltIn.Lookup("openai", "gpt-4o").RejectsTemperature);
    }

    [Fact]
    public void UnknownModels_GetConservativeGuesses_FlaggedUnknown()
    {
        var gpt = ModelCatalog.BuiltIn.Lookup("openai", "gpt-5.9-pro");
        var claude = ModelCatalog.BuiltIn.Lookup("claude", "claude-opus-6");
        var local = ModelCatalog.BuiltIn.Lookup("ollama", "qwen2.5-coder:7b");

        Assert.False(gpt.IsKnown);
        Assert.True(gpt.RejectsTemperature);
        Assert.False(claude.IsKnown);
        Assert.True(claude.RejectsTemperature);
        Assert.True(claude.RejectsPrefill);
        Assert.False(local.IsKnown);
        Assert.Equal(0m, local.Cost(new TokenUsage(1_000_000, 1_000_000)));
        Assert.False(ModelCatalog.BuiltIn.Lookup("claude", "my-proxy-model").RejectsTemperature);
    }

    [Fact]
    public void Cost_PricesEachKindOfToken()
    {
        var haiku = ModelCatalog.BuiltIn.Lookup("claude", "claude-haiku-4-5");

        var cost = haiku.Cost(new TokenUsage(InputTokens: 1_000_000, OutputTokens: 1_000_000, CacheWriteTokens: 1_000_000, CacheReadTokens: 1_000_000));

        Assert.Equal(haiku.InputPerMillion + haiku.OutputPerMillion + haiku.CacheWritePerMillion + haiku.CacheReadPerMillion, cost);
        Assert.Equal(haiku.InputPerMillion * 1.25m, haiku.CacheWritePerMillion);
        Assert.Equal(haiku.InputPerMillion * 0.1m, haiku.CacheReadPerMillion);
    }

    [Fact]
    public void EveryModel_HasSaneLimits()
    {
        Assert.All(ModelCatalog.BuiltIn.Models, m =>
        {
            Assert.InRange(m.MaxOutputTokens, 1, m.ContextWindow);
            Assert.True(m.OutputPerMillion >= m.InputPerMillion, m.Id);
            Assert.True(m.CacheReadPerMillion < m.InputPerMillion, m.Id);
        });
    }
}
