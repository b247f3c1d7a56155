namespace SpecSynth.Tests.Cli.Providers;

/// <summary>Ctrl+C (the CLI's cancellation token) during a streamed reply: exit 130 at once, nothing written.</summary>
public sealed class CancellationOverProvidersTests
{
    [Theory]
    [MemberData(nameof(ProviderCases.Names), MemberType = typeof(ProviderCases))]
    public async Task CancelledMidStream_IsExit130_AndWritesNothing(string provider)
    {
        await using var h = await CliHarness.StartAsync(provider);
        var reply = h.Case.Reply(ModelAnswers.TwoFiles, stream: true);
        // The server sends part of the reply, then hangs: only cancellation can end the command before the hang does
        // (exit 130 rather than 0). Kept short because OllamaSharp holds its connection until the hang ends.
        var hang = TimeSpan.FromSeconds(5);
        h.Server.Enqueue(reply with { PauseAfterBytes = reply.Body.Length / 3, Pause = hang });
        using var cts = new CancellationTokenSource();
        var run = h.Cli.RunAsync(cts.Token, ["generate", h.SpecPath, "--out", h.Out, "--provider", h.Case.Provider, .. h.Case.ExtraArgs]);
        while (h.ChatRequests.Count == 0 && !run.IsCompleted)
        {
            await Task.Delay(20);
        }
        await Task.Delay(200);
        await cts.CancelAsync();

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        var waited = System.Diagnostics.Stopwatch.GetElapsedTime(started);

        Assert.True(result.ExitCode == 130, result.Error);
        Assert.Contains("Interrupted; nothing was written.", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(h.Out));
        Assert.True(waited < hang, $"the command ended {waited.TotalSeconds:0.0} s after the cancellation: it waited for the server, not for Ctrl+C");
    }
}
