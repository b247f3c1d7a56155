using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Providers.Mock;

/// <summary>
/// The deterministic, offline <c>mock</c> provider. It answers in the same text format a model does (fenced
/// files with path comments, a JSON review), so parsing, checks and writing run exactly as for a real provider.
/// The same messages always give the same reply. A reply longer than <see cref="ChatOptions.MaxOutputTokens"/>
/// (at 4 characters a token) is cut there with finish reason <see cref="ChatFinishReason.Length"/>.
/// </summary>
internal sealed class MockChatClient : IChatClient
{
    /// <summary>The model id the mock reports.</summary>
    public const string ModelId = "mock-1";

    private const int ChunkChars = 64;
    private readonly ChatClientMetadata _metadata = new("mock", null, ModelId);

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var (text, finish, usage) = Answer(messages.ToList(), options);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            FinishReason = finish,
            Usage = usage,
            ModelId = ModelId,
        });
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages.ToList(), options, cancellationToken);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(List<ChatMessage> messages, ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (text, finish, usage) = Answer(messages, options);
        for (var i = 0; i < text.Length; i += ChunkChars)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            var end = Math.Min(text.Length, i + ChunkChars);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
            {
                end++;
            }
            yield return new ChatResponseUpdate(ChatRole.Assistant, text[i..end]) { ModelId = ModelId };
            i = end - ChunkChars;
        }
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            FinishReason = finish,
            ModelId = ModelId,
            Contents = [new UsageContent(usage)],
        };
    }

    private static (string Text, ChatFinishReason Finish, UsageDetails Usage) Answer(List<ChatMessage> messages, ChatOptions? options)
    {
        var user = string.Join("\n", messages.Where(m => m.Role == ChatRole.User).Select(m => m.Text));
        var text = MockReplies.For(user);
        var finish = ChatFinishReason.Stop;
        if (options?.MaxOutputTokens is int max && max > 0 && text.Length > (long)max * 4)
        {
            text = text[..(max * 4)];
            finish = ChatFinishReason.Length;
        }
        var input = messages.Sum(m => (long)m.Text.Length);
        var usage = new UsageDetails
        {
            InputTokenCount = (input + 3) / 4,
            OutputTokenCount = (text.Length + 3) / 4,
        };
        usage.TotalTokenCount = usage.InputTokenCount + usage.OutputTokenCount;
        return (text, finish, usage);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
