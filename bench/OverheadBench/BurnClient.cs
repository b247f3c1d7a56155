using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace OverheadBench;

/// <summary>
/// <c>--bare-burn US</c> (session 17, hops17): "full" is the bare client plus US µs of CPU per request (half before the call,
/// half after its stream ends) and no hop, timer or state of its own: a control for what more CPU per request alone does to
/// the work items, latency and kernel time, against what the pipeline does.
/// </summary>
internal sealed class BurnClient(IChatClient inner, double microseconds) : DelegatingChatClient(inner)
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Burn(microseconds / 2);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
        Burn(microseconds / 2);
    }

    private static void Burn(double us)
    {
        var until = Stopwatch.GetTimestamp() + (long)(us * Stopwatch.Frequency / 1e6);
        while (Stopwatch.GetTimestamp() < until)
        {
        }
    }
}
