using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Middleware;

namespace SpecSynth.Providers.Keys;

/// <summary>
/// Spreads the calls of one provider over its keys, round-robin, and takes a key out when the provider objects to it:
/// a 429 cools it down for the server's retry-after (else <see cref="ResilienceOptions.KeyCoolDown"/>); a 401/403/402
/// or an exhausted quota takes it out for the rest of the run (the observer hears both, naming the key's variable).
/// The same call then goes on at once with the next usable key. When no key is usable the error propagates: a
/// retryable one whose retry-after is the time until the first key is back (the retry layer waits for it), or, when
/// every key is out for the run, the provider's refusal naming every variable.
/// </summary>
/// <remarks>
/// Sits inside the retry and circuit-breaker layers, above each key's own rate limiter, stream guard and client.
/// A stream is moved to another key only while nothing was forwarded (errors with an HTTP status come before the
/// first update). Every response, and the first update of every stream, carries
/// <see cref="ResiliencePipeline.KeyAliasProperty"/> = the alias of the key that answered.
/// </remarks>
internal sealed class KeyRotatingChatClient : IChatClient
{
    private readonly string provider;
    private readonly KeyState[] keys;
    private readonly TimeSpan coolDown;
    private readonly TimeProvider time;
    private readonly IResilienceObserver observer;
    private readonly object gate = new();
    private int cursor;

    public KeyRotatingChatClient(string provider, IReadOnlyList<ProviderKey> keys, TimeSpan coolDown, TimeProvider time,
        IResilienceObserver observer)
    {
        RetryOptions.Check(keys.Count > 0, $"provider {provider} has no key");
        this.provider = provider;
        this.keys = [.. keys.Select(k => new KeyState(k))];
        this.coolDown = coolDown;
        this.time = time;
        this.observer = observer;
    }

    /// <summary>The first key's client (for listing the pipeline's layers).</summary>
    internal IChatClient First => keys[0].Key.Client;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        keys.Length == 1 ? OneKeyAsync(messages, options, cancellationToken) : RotateAsync(messages, options, cancellationToken);

    /// <remarks>The streams of the one key: its client's updates as they are, the first stamped with the key's alias
    /// (<see cref="StampedStream"/>: no iterator, lock or tried-keys array per call; nothing is rotated, so an error goes up
    /// as it came, as the rotation's own filters let it).</remarks>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        keys.Length == 1
            ? new StampedStream(keys[0].Key.Client, messages, options, cancellationToken, StampAlias, keys[0].Key.Alias)
            : RotateStreamingAsync(messages, options, cancellationToken);

    private static readonly Action<ChatResponseUpdate, string> StampAlias =
        static (update, alias) => (update.AdditionalProperties ??= [])[ResiliencePipeline.KeyAliasProperty] = alias;

    /// <summary>The call of the one key: its client's response, stamped with the key's alias (no error is about another key).</summary>
    private async Task<ChatResponse> OneKeyAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var key = keys[0].Key;
        var response = await key.Client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        (response.AdditionalProperties ??= [])[ResiliencePipeline.KeyAliasProperty] = key.Alias;
        return response;
    }

    private async Task<ChatResponse> RotateAsync(IEnumerable<ChatMessage> messages, ChatOptions? options,
        CancellationToken cancellationToken)
    {
        var tried = new bool[keys.Length];
        ProviderException? last = null;
        while (Pick(tried) is { } key)
        {
            try
            {
                var response = await key.Key.Client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                (response.AdditionalProperties ??= [])[ResiliencePipeline.KeyAliasProperty] = key.Key.Alias;
                return response;
            }
            catch (ProviderException ex) when (keys.Length > 1 && TakeOut(key, ex))
            {
                last = ex;
            }
        }
        throw NoKeyLeft(last);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> RotateStreamingAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tried = new bool[keys.Length];
        ProviderException? last = null;
        while (Pick(tried) is { } key)
        {
            var updates = key.Key.Client.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            bool any;
            try
            {
                any = await updates.MoveNextAsync().ConfigureAwait(false);
            }
            catch (ProviderException ex) when (keys.Length > 1 && TakeOut(key, ex))
            {
                last = ex;
                await updates.DisposeAsync().ConfigureAwait(false);
                continue;
            }
            catch
            {
                await updates.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            await using (updates.ConfigureAwait(false))
            {
                if (!any)
                {
                    yield break;
                }
                var first = updates.Current;
                (first.AdditionalProperties ??= [])[ResiliencePipeline.KeyAliasProperty] = key.Key.Alias;
                yield return first;
                while (await updates.MoveNextAsync().ConfigureAwait(false))
                {
                    yield return updates.Current;
                }
            }
            yield break;
        }
        throw NoKeyLeft(last);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(KeyRotatingChatClient) ? this : keys[0].Key.Client.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        // The keys' clients belong to whoever built the chain.
    }

    /// <summary>The next usable key not tried by this call, round-robin from the one after the last handed out.</summary>
    private KeyState? Pick(bool[] tried)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            for (var step = 0; step < keys.Length; step++)
            {
                var index = (cursor + step) % keys.Length;
                var key = keys[index];
                if (!tried[index] && (keys.Length == 1 || key.IsUsable(now)))
                {
                    tried[index] = true;
                    cursor = (index + 1) % keys.Length;
                    return key;
                }
            }
            return null;
        }
    }

    /// <summary>Takes the key out when <paramref name="ex"/> is about the key; says whether the call should try the next one.</summary>
    private bool TakeOut(KeyState key, ProviderException ex)
    {
        if (ex.StatusCode is 401 or 403 or 402 || ex.IsQuotaExhausted || (ex.StatusCode == 429 && !ex.IsRetryable))
        {
            lock (gate)
            {
                key.Disabled = ex.StatusCode is { } status ? "HTTP " + status.ToString(CultureInfo.InvariantCulture) : "rejected";
            }
            observer.OnKeyRejected(provider, key.Key.Alias, ex);
            return true;
        }
        if (ex.StatusCode == 429)
        {
            var wait = ex.RetryAfter is { } after && after > TimeSpan.Zero ? after : coolDown;
            lock (gate)
            {
                var until = time.GetUtcNow() + wait;
                if (until > key.CoolingUntil)
                {
                    key.CoolingUntil = until;
                }
            }
            observer.OnKeyCoolDown(provider, key.Key.Alias, wait, ex);
            return true;
        }
        return false;
    }

    /// <summary>The error when no key is left for this call (single-key clients never get here with an error).</summary>
    private ProviderException NoKeyLeft(ProviderException? last)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var cooling = keys.Where(k => k.Disabled is null).ToList();
            if (cooling.Count > 0)
            {
                var back = cooling.Min(k => k.CoolingUntil);
                var wait = back > now ? back - now : TimeSpan.Zero;
                var names = string.Join(", ", cooling.Select(k => k.Key.Alias));
                return new ProviderException(ErrorKind.ProviderUnavailable, provider,
                    $"{provider}: every key is cooling down after rate limits ({names}); the first is back in {wait.TotalSeconds:0.###} s"
                    + (last is null ? "" : $" (last: {last.Message})"),
                    429, isRetryable: true, retryAfter: wait, inner: last);
            }
            var refused = string.Join(", ", keys.Select(k => $"{k.Key.Alias} ({k.Disabled})"));
            return new ProviderException(last?.Kind ?? ErrorKind.Auth, provider,
                $"{provider} refused every key: {refused}" + (last is null ? "" : $" (last: {last.Message})"),
                last?.StatusCode ?? 401, inner: last);
        }
    }
}
