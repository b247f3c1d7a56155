using System.Text.Json;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary><c>specsynth generate</c> end to end against each provider's fake server, streamed and not.</summary>
public sealed class GenerateOverProvidersTests
{
    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task Generate_WritesBothFilesExactly_AndReportsTheProvidersUsage(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream));

        var result = await h.RunAsync(Args(h, stream));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], h.OutputFiles);
        Assert.Equal(ModelAnswers.GreeterFile, File.ReadAllText(Path.Combine(h.Out, "src", "Greeter.cs")));
        Assert.Equal(ModelAnswers.TestsFile, File.ReadAllText(Path.Combine(h.Out, "tests", "GreeterTests.cs")));
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("written", root.GetProperty("status").GetString());
        Assert.Equal(h.Case.Provider, root.GetProperty("provider").GetString());
        Assert.Equal(h.Case.AnsweringModel, root.GetProperty("model").GetString());
        Assert.Equal("stop", root.GetProperty("stop_reason").GetString());
        var usage = root.GetProperty("usage");
        var expected = h.Case.ExpectedUsage;
        Assert.Equal(
            (expected.InputTokens, expected.OutputTokens, expected.CacheWriteTokens, expected.CacheReadTokens),
            (usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64(),
                usage.GetProperty("cache_write_tokens").GetInt64(), usage.GetProperty("cache_read_tokens").GetInt64()));
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task Generate_SendsTheSpecInsideSpecificationTags_AndTheSystemPromptInTheProvidersPlace(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream));

        var result = await h.RunAsync(Args(h, stream));

        Assert.True(result.ExitCode == 0, result.Error);
        var request = Assert.Single(h.ChatRequests);
        Assert.Equal("POST", request.Method);
        var body = request.Json;
        Assert.Equal(stream, ProviderCase.AskedToStream(body));
        Assert.StartsWith("You are specsynth", h.Case.SystemPrompt(body), StringComparison.Ordinal);
        var user = h.Case.UserPrompt(body);
        var open = user.IndexOf("<specification", StringComparison.Ordinal);
        var close = user.IndexOf("</specification>", StringComparison.Ordinal);
        Assert.True(open >= 0 && close > open, user);
        var inside = user[open..close];
        Assert.Contains("`Greeter.Greet(name)` MUST return `Hello, <name>!`.", inside, StringComparison.Ordinal);
        Assert.Contains("A blank name MUST throw `ArgumentException`.", inside, StringComparison.Ordinal);
        Assert.DoesNotContain("You are specsynth", user, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task Generate_WithoutJson_ReportsTheFilesOnStderr_AndPrintsNothingOnStdout(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Server.Enqueue(h.Case.Reply(ModelAnswers.TwoFiles, stream));

        var args = new List<string> { "generate", h.SpecPath, "--out", h.Out };
        if (!stream)
        {
            args.Add("--no-stream");
        }
        var result = await h.RunAsync([.. args]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("", result.Out);
        Assert.Contains("created", result.Error, StringComparison.Ordinal);
        Assert.Contains("src/Greeter.cs", result.Error, StringComparison.Ordinal);
        Assert.Contains("tests/GreeterTests.cs", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{h.Case.Provider}/{h.Case.AnsweringModel}", result.Error, StringComparison.Ordinal);
    }

    // The project is named: without --project, the context would be the --out folder.
    internal static string[] Args(CliHarness h, bool stream) => stream
        ? ["generate", h.SpecPath, "--project", h.Project, "--out", h.Out, "--json"]
        : ["generate", h.SpecPath, "--project", h.Project, "--out", h.Out, "--json", "--no-stream"];
}
