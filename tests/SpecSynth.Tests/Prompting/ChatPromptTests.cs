using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using SpecSynth.Prompting;

namespace SpecSynth.Tests.Prompting;

public sealed class ChatPromptTests
{
    private static readonly ChatMessage[] Messages = [new(ChatRole.System, "s"), new(ChatRole.User, "u")];

    [Fact]
    public void APromptBuiltFromTemplates_HasTheirVersion_AndEqualsOneGivenTheVersion()
    {
        var fromTemplates = new ChatPrompt(Messages, PromptTemplates.BuiltIn);
        var fromString = new ChatPrompt(Messages, PromptTemplates.BuiltIn.Version);

        Assert.Equal(PromptTemplates.BuiltIn.Version, fromTemplates.TemplateVersion);
        Assert.Equal(fromString, fromTemplates);
        Assert.Equal(fromString.GetHashCode(), new ChatPrompt(Messages, PromptTemplates.BuiltIn).GetHashCode());
        Assert.NotEqual(fromString, fromTemplates with { TemplateVersion = "other" });
        Assert.Equal("other", (fromTemplates with { TemplateVersion = "other" }).TemplateVersion);
    }

    [Fact]
    public void TheVersion_IsTheFirst16HexDigitsOfTheSha256OfTheNamedTemplates()
    {
        // Part of response cache keys and history: hashing later must not change its value.
        var all = string.Join("\u0000", PromptTemplates.Names.Select(n => n + "=" + PromptTemplates.BuiltIn[n]));
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all)))[..16];

        Assert.Equal(expected, PromptTemplates.Load(null).Version);
        Assert.Equal(expected, new ChatPrompt(Messages, PromptTemplates.Load(null)).TemplateVersion);
    }
}
