using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SpecSynth.Providers.Keys;

/// <summary>
/// A provider client whose key comes from an <c>api_key_command</c>: before each call it takes line
/// <paramref name="index"/> of the command's (cached) output and builds a new client when the key changed; when the
/// provider answers 401 or 403 it runs the command again at once and, when that gives another key, repeats the call
/// once with it, so a key rotated while a long batch runs is picked up without a restart. Streams are repeated only
/// when the refusal came before the first update (it always does: the status comes first).
/// </summary>
internal sealed class CommandKeyChatClient(IChatClient initial, string initialKey, int index, KeyCommand command,
    Func<string, IChatClient> create) : IChatClient
{
    private readonly object gate = new();
    private IChatClient current = initial;
    private string currentKey = initialKey;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var client = Current(command.GetKeys());
        try
        {
            return await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex) when (ex.StatusCode is 401 or 403)
        {
            if (Rotated(client) is not { } next)
            {
                throw;
            }
            return await next.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = Current(command.GetKeys());
        var updates = client.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool any;
        try
        {
            any = await updates.MoveNextAsync().ConfigureAwait(false);
        }
        catch (ProviderException ex) when (ex.StatusCode is 401 or 403)
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            if (Rotated(client) is not { } next)
            {
                throw;
            }
            updates = next.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            any = await updates.MoveNextAsync().ConfigureAwait(false);
        }
        await using (updates.ConfigureAwait(false))
        {
            if (!any)
            {
                yield break;
            }
            yield return updates.Current;
            while (await updates.MoveNextAsync().ConfigureAwait(false))
            {
                yield return updates.Current;
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        lock (gate)
        {
            return serviceType == typeof(CommandKeyChatClient) ? this : current.GetService(serviceType, serviceKey);
        }
    }

    public void Dispose()
    {
        // The clients belong to whoever built the chain (as for every key's client).
    }

    /// <summary>The client for this key's line of <paramref name="keys"/> (a new one when the key changed; a missing
    /// line keeps the last key).</summary>
    private IChatClient Current(IReadOnlyList<string> keys)
    {
        lock (gate)
        {
            if (index < keys.Count && !string.Equals(keys[index], currentKey, StringComparison.Ordinal))
            {
                currentKey = keys[index];
                current = create(currentKey);
            }
            return current;
        }
    }

    /// <summary>After a refusal by <paramref name="refused"/>: the command's fresh key's client, or <c>null</c> when it
    /// gives the same key (the refusal stands).</summary>
    private IChatClient? Rotated(IChatClient refused)
    {
        var next = Current(command.Refresh());
        return ReferenceEquals(next, refused) ? null : next;
    }
}
