using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Projects;
using SpecSynth.Pipeline;

namespace SpecSynth.Middleware;

/// <summary>
/// The gate every prompt passes on its way out, whatever built it (generate, explain, review, repair rounds,
/// continuations with their history, compaction, self-review): each text of each message goes through
/// <see cref="SecretRedactor"/> before the response cache keys it, the usage ledger and audit log record it, or a
/// provider receives it. The outermost middleware of <see cref="ChatClientFactory"/>'s client. Redaction is idempotent,
/// so text that was redacted where it was read (project files) passes unchanged. Contents keep their properties (prompt
/// cache breakpoints); messages without a secret are passed as they are.
/// </summary>
internal sealed class RedactingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(Redact(messages), options, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The updates are the inner client's own stream (no layer of its own per update); the messages are redacted
    /// when the stream is first read, as before.</remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        new DeferredStream(this, messages, options, cancellationToken);

    /// <summary>The messages with every text redacted; unchanged messages are the same instances.</summary>
    internal static List<ChatMessage> Redact(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // An index loop over a list (every prompt's case): no LINQ iterator and a list of the right size at once.
        if (messages is IList<ChatMessage> list)
        {
            var redacted = new List<ChatMessage>(list.Count);
            for (var i = 0; i < list.Count; i++)
            {
                redacted.Add(Redact(list[i]));
            }
            return redacted;
        }
        return [.. messages.Select(Redact)];
    }

    private static ChatMessage Redact(ChatMessage message)
    {
        List<AIContent>? contents = null;
        for (var i = 0; i < message.Contents.Count; i++)
        {
            if (message.Contents[i] is not TextContent { Text: { } text } content)
            {
                continue;
            }
            var redacted = SecretRedactor.Redact(text);
            if (ReferenceEquals(redacted, text))
            {
                continue;
            }
            contents ??= [.. message.Contents];
            contents[i] = new TextContent(redacted)
            {
                AdditionalProperties = content.AdditionalProperties,
                Annotations = content.Annotations,
                RawRepresentation = content.RawRepresentation,
            };
        }
        if (contents is null)
        {
            return message;
        }
        var copy = message.Clone();
        copy.Contents = contents;
        return copy;
    }

    /// <summary>Redacts the messages and starts the inner stream when it is enumerated (so a stream that is never read sends
    /// nothing, as with an iterator), then hands out the inner enumerator itself.</summary>
    private sealed class DeferredStream(RedactingChatClient owner, IEnumerable<ChatMessage> messages, ChatOptions? options,
        CancellationToken cancellationToken) : IAsyncEnumerable<ChatResponseUpdate>
    {
        public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken token = default)
        {
            if (token.CanBeCanceled && cancellationToken.CanBeCanceled && token != cancellationToken)
            {
                // Two different tokens: the iterator links them, as an iterator of this layer always did.
                return Iterate(owner.InnerClient, messages, options, cancellationToken).GetAsyncEnumerator(token);
            }
            var only = token.CanBeCanceled ? token : cancellationToken;
            return owner.InnerClient.GetStreamingResponseAsync(Redact(messages), options, only).GetAsyncEnumerator(only);
        }

        private static async IAsyncEnumerable<ChatResponseUpdate> Iterate(IChatClient inner, IEnumerable<ChatMessage> messages,
            ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var update in inner.GetStreamingResponseAsync(Redact(messages), options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
    }
}
