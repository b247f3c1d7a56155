using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace SpecSynth.Tests.Service;

/// <summary><see cref="ISpecSynthesizer.GenerateAllAsync"/>: several specs over one client; a spec that fails does not stop
/// the others, and each spec's events name it.</summary>
public sealed class GenerateAllTests
{
    private const string Good = "```csharp\n// filepath: src/Alpha.cs\nnamespace Demo;\n\npublic static class Alpha\n{\n}\n```\n";
    private const string Broken = "```csharp\n// filepath: src/Beta.cs\nnamespace Demo;\n\npublic static class Beta\n{\n```\n";

    [Fact]
    public async Task OneSpecUnusable_TheOtherIsWritten_AndEventsNameTheirSpec()
    {
        using var world = new ServiceWorld();
        world.Write("alpha.md", "# Alpha\n\nThe alpha part.\n\n## Requirements\n\n- It MUST exist.\n");
        world.Write("beta.md", "# Beta\n\nThe beta part.\n\n## Requirements\n\n- It MUST exist.\n");
        await using var services = world.Services(s => s.AddSingleton<IChatClient>(new ByTitleChatClient()));
        var recorder = new EventRecorder();

        var all = await services.GetRequiredService<ISpecSynthesizer>().GenerateAllAsync(new GenerateAllRequest
        {
            Specs = [new GenerateRequest { SpecPath = "alpha.md" }, new GenerateRequest { SpecPath = "beta.md" }],
            Options = new GenerateRequest { OutputRoot = "out", RepairRounds = 0, Progress = recorder },
            Concurrency = 2,
        });

        Assert.Equal((1, 1), (all.Succeeded, all.Failed));
        Assert.Equal("alpha.md", all.Results[0]!.Spec);
        Assert.Null(all.Results[1]);
        Assert.Equal(ErrorKind.UnusableOutput, all.Failures[1]!.Kind);
        Assert.True(File.Exists(Path.Combine(world.Out, "src", "Alpha.cs")));
        Assert.False(File.Exists(Path.Combine(world.Out, "src", "Beta.cs")));
        var events = recorder.Events;
        Assert.Equal("alpha.md", Assert.Single(events.OfType<SpecCompletedEvent>()).Spec);
        Assert.Equal("beta.md", Assert.Single(events.OfType<SpecFailedEvent>()).Spec);
        Assert.All(events.OfType<ReplyStartedEvent>(), e => Assert.NotNull(e.Spec));
    }

    /// <summary>Answers the alpha spec with valid C# and the beta spec with broken C#.</summary>
    private sealed class ByTitleChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var prompt = string.Join("\n", messages.Select(m => m.Text));
            var reply = prompt.Contains("The beta part", StringComparison.Ordinal) ? Broken : Good;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
            {
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 },
            });
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var response = await GetResponseAsync(messages, options, cancellationToken);
            foreach (var update in response.ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

}
