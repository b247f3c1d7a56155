using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.AI;

namespace SpecSynth.Telemetry;

/// <summary>
/// MEAI's <see cref="OpenTelemetryChatClient"/> (the <c>chat {model}</c> span and the <c>gen_ai.client.*</c> histograms of one
/// provider attempt), called only while someone listens to its activity source or to one of its instruments. With nobody
/// listening that client still keeps every streamed update and coalesces them into a response at the end, for a span and
/// histograms that are then dropped; this layer hands the call to the client beneath instead, so the stream passes through
/// as it is. Spans, metrics and logs are the same whenever someone listens: the call then goes through MEAI's client as before.
/// </summary>
/// <remarks>MEAI does not say whether its histograms are listened to, so its client's <see cref="Instrument"/> fields are
/// read once (by type, not by name); should none be found, every call goes through its client, as before this layer.</remarks>
internal sealed class ListenedTelemetryChatClient : DelegatingChatClient
{
    private readonly IChatClient bypass;
    private readonly ActivitySource? source;
    private readonly Instrument[] instruments;

    /// <param name="telemetry">MEAI's client, around <paramref name="bypass"/>.</param>
    /// <param name="bypass">The client beneath <paramref name="telemetry"/>, called directly while nobody listens.</param>
    public ListenedTelemetryChatClient(OpenTelemetryChatClient telemetry, IChatClient bypass)
        : base(telemetry)
    {
        this.bypass = bypass;
        source = telemetry.GetService<ActivitySource>();
        instruments = [.. typeof(OpenTelemetryChatClient).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(f => typeof(Instrument).IsAssignableFrom(f.FieldType))
            .Select(f => f.GetValue(telemetry))
            .OfType<Instrument>()];
    }

    /// <summary>Whether MEAI's client would record anything now: a listener on its source, or one of its instruments
    /// enabled (or its instruments could not be found).</summary>
    internal bool Listened
    {
        get
        {
            if (source is null || source.HasListeners() || instruments.Length == 0)
            {
                return true;
            }
            foreach (var instrument in instruments)
            {
                if (instrument.Enabled)
                {
                    return true;
                }
            }
            return false;
        }
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        (Listened ? InnerClient : bypass).GetResponseAsync(messages, options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        (Listened ? InnerClient : bypass).GetStreamingResponseAsync(messages, options, cancellationToken);
}
