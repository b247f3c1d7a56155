using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Cli.Providers;

/// <summary>Bytes that are not UTF-8 in a provider's body (SSE, NDJSON or a whole JSON reply) are a transport fault: the
/// request is retried like a cut stream, and no replacement character ever reaches a file's content or name.</summary>
public sealed class InvalidUtf8OverProvidersTests
{
    private const string Retries = "[retry]\nmax_attempts = 2\ninitial_delay = 0.01\nmax_delay = 0.02\n";

    /// <summary>The good reply with an invalid byte (0xFF) in a file name and in a file's content.</summary>
    private static FakeResponse Corrupt(ProviderCase provider, bool stream)
    {
        var marked = ModelAnswers.TwoFiles.Replace("src/Greeter.cs", "src/Gr~eter.cs", StringComparison.Ordinal)
            .Replace("Hello, {name}!", "Hello~, {name}!", StringComparison.Ordinal);
        var reply = provider.Reply(marked, stream);
        Assert.Contains((byte)'~', reply.Body);
        return reply with { Body = [.. reply.Body.Select(b => b == (byte)'~' ? (byte)0xFF : b)] };
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task InvalidBytes_OnTheFirstAttempt_AreRetried_AndTheGoodReplyIsWritten(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Configure(Retries);
        h.Server.Enqueue(Corrupt(h.Case, stream), h.Case.Reply(ModelAnswers.TwoFiles, stream));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(2, h.ChatRequests.Count);
        Assert.Equal(["src/Greeter.cs", "tests/GreeterTests.cs"], h.OutputFiles);
        Assert.Equal(ModelAnswers.GreeterFile, File.ReadAllText(Path.Combine(h.Out, "src", "Greeter.cs")));
        Assert.Contains("not valid UTF-8", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.NamesAndStreaming), MemberType = typeof(ProviderCases))]
    public async Task InvalidBytes_OnEveryAttempt_AreExit4_AndWriteNothing(string provider, bool stream)
    {
        await using var h = await CliHarness.StartAsync(provider);
        h.Configure(Retries);
        h.Server.Enqueue(Corrupt(h.Case, stream), Corrupt(h.Case, stream));

        var result = await h.RunAsync(GenerateOverProvidersTests.Args(h, stream));

        Assert.True(result.ExitCode == 4, result.Error);
        Assert.Equal(2, h.ChatRequests.Count);
        Assert.Empty(h.OutputFiles);
        Assert.DoesNotContain("\uFFFD", result.Out, StringComparison.Ordinal);
    }
}
