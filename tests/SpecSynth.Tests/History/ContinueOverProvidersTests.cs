using System.Text.Json;
using SpecSynth.Tests.Cli.Providers;

namespace SpecSynth.Tests.History;

/// <summary><c>generate --continue</c> against each provider's fake server: what goes over the wire.</summary>
public sealed class ContinueOverProvidersTests
{
    private const string Instruction = "make the greeting configurable";

    private static List<(string Role, string Text)> Messages(JsonElement body) =>
        [.. body.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() != "system")
            .Select(m => (m.GetProperty("role").GetString()!, ProviderCase.ContentText(m.GetProperty("content"))))];

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task Continue_SendsTheEarlierTurns_ThenTheRequestWithTheInstruction(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream), h.Case.Reply(ModelAnswers.TwoFiles, stream));
        string[] noStream = stream ? [] : ["--no-stream"];

        var first = await h.RunAsync(["generate", h.SpecPath, "--out", h.Out, .. noStream]);
        var second = await h.RunAsync(["generate", h.SpecPath, "--out", h.Out, "--continue", Instruction, .. noStream]);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(2, h.ChatRequests.Count);
        Assert.Single(Messages(h.ChatRequests[0].Json));
        var messages = Messages(h.ChatRequests[1].Json);
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => m.Role));
        Assert.StartsWith("Generate the code for the specification spec.md (\"Greeter\"", messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(ModelAnswers.TwoFiles.Trim(), messages[1].Text.Trim());
        var request = messages[2].Text;
        Assert.Equal(h.Case.UserPrompt(h.ChatRequests[1].Json), request);
        Assert.Contains("<specification title=\"Greeter\">", request, StringComparison.Ordinal);
        Assert.Contains("<file path=\"src/Greeter.cs\">", request, StringComparison.Ordinal);
        Assert.EndsWith($"<instruction>\n{Instruction}\n</instruction>", request, StringComparison.Ordinal);
        Assert.StartsWith("You are specsynth", h.Case.SystemPrompt(h.ChatRequests[1].Json), StringComparison.Ordinal);
        if (h.Case.Key is { } key)
        {
            Assert.Empty(h.FilesContaining(key));
        }
    }
}
