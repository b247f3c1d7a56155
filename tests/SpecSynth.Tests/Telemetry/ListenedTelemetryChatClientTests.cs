using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using SpecSynth.Telemetry;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Telemetry;

/// <summary>
/// MEAI's chat telemetry is skipped while nobody listens, and runs as before as soon as anyone listens to its spans or to
/// any one of its histograms. Each test has a source and meter name of its own, so other tests' listeners do not count.
/// </summary>
public sealed class ListenedTelemetryChatClientTests
{
    [Fact]
    public async Task NobodyListening_TheStreamIsTheClientBeneaths_AsItIs()
    {
        var (gate, beneath) = Build(NewName());

        Assert.False(gate.Listened);
        var stream = gate.GetStreamingResponseAsync([new(ChatRole.User, "hi")]);

        Assert.Same(beneath.Last, stream);
        var updates = await ToListAsync(stream);
        Assert.Equal("ok", updates.ToChatResponse().Text);
        Assert.Equal("ok", (await gate.GetResponseAsync([new(ChatRole.User, "hi")])).Text);
        Assert.Equal(2, beneath.Calls);
    }

    [Fact]
    public async Task ASpanListener_GetsTheChatSpan_WithTheUsageAndFinishReason()
    {
        var name = NewName();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = SpanRecorder.Listen(spans, name);
        var (gate, beneath) = Build(name);

        Assert.True(gate.Listened);
        var stream = gate.GetStreamingResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { ModelId = "m-1" });
        Assert.NotSame(beneath.Last, stream);
        Assert.Equal("ok", (await ToListAsync(stream)).ToChatResponse().Text);

        var span = Assert.Single(spans);
        Assert.Equal("chat m-1", span.OperationName);
        Assert.Equal(10, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(20, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal("[\"stop\"]", span.GetTagItem("gen_ai.response.finish_reasons"));
    }

    [Fact]
    public async Task AMeterListenerAlone_GetsTheHistograms_OfStreamedAndWholeReplies()
    {
        var name = NewName();
        var measured = new ConcurrentQueue<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == name && instrument.Name == "gen_ai.client.token.usage")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<int>((i, v, _, _) => measured.Enqueue($"{i.Name}={v}"));
        meters.Start();
        var (gate, _) = Build(name);

        Assert.True(gate.Listened);
        await ToListAsync(gate.GetStreamingResponseAsync([new(ChatRole.User, "hi")]));
        await gate.GetResponseAsync([new(ChatRole.User, "hi")]);

        Assert.Equal(["gen_ai.client.token.usage=10", "gen_ai.client.token.usage=20", "gen_ai.client.token.usage=10",
            "gen_ai.client.token.usage=20"], measured);
    }

    [Fact]
    public async Task AListenerThatComesLater_IsHeardFromTheNextCallOn()
    {
        var name = NewName();
        var (gate, beneath) = Build(name);
        await ToListAsync(gate.GetStreamingResponseAsync([new(ChatRole.User, "hi")]));

        var spans = new ConcurrentQueue<Activity>();
        using var listener = SpanRecorder.Listen(spans, name);
        await ToListAsync(gate.GetStreamingResponseAsync([new(ChatRole.User, "hi")]));

        Assert.Single(spans);
        Assert.Equal(2, beneath.Calls);
    }

    private static string NewName() => "SpecSynth.Tests.Gate." + Guid.NewGuid().ToString("N");

    private static (ListenedTelemetryChatClient Gate, Beneath Beneath) Build(string name)
    {
        var beneath = new Beneath(new ScriptedChatClient("ok"));
        return (new ListenedTelemetryChatClient(new OpenTelemetryChatClient(beneath, sourceName: name), beneath), beneath);
    }

    private static async Task<List<ChatResponseUpdate>> ToListAsync(IAsyncEnumerable<ChatResponseUpdate> stream)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in stream)
        {
            updates.Add(update);
        }
        return updates;
    }

    /// <summary>The client beneath the telemetry: counts calls and keeps the last stream it handed out.</summary>
    private sealed class Beneath(ScriptedChatClient inner) : DelegatingChatClient(inner)
    {
        public IAsyncEnumerable<ChatResponseUpdate>? Last { get; private set; }

        public int Calls => inner.Calls;

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Last = base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }
}
