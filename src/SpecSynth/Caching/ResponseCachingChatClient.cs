using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using SpecSynth.Middleware;

namespace SpecSynth.Caching;

/// <summary>
/// MEAI's distributed caching middleware with specsynth's rules. The key hashes the full messages, every option that
/// changes the reply (model, max tokens, temperature, ...; <c>specsynth.*</c> properties left out), the prompt template
/// version (<see cref="ResponseCache.TemplateVersionProperty"/>), the provider chain (each provider's model and
/// settings) and <see cref="ResponseCache.FormatVersion"/>. Streaming and non-streaming calls share entries.
/// Only complete, successful replies are stored: finish reason <c>stop</c>, no error, no cancellation, no restarted
/// or abandoned stream; inside an open <see cref="ResponseCacheCommit"/> only once the caller accepted the result. A hit is marked with <see cref="ResponseCache.HitProperty"/> (on the response, or on the first
/// update of a replayed stream) and keeps the answering provider (<see cref="ResiliencePipeline.ProviderProperty"/>).
/// </summary>
internal sealed class ResponseCachingChatClient : DistributedCachingChatClient
{
    private const int ChunkChars = 256;
    private const string TemplatePrefix = "template:";
    /// <summary>The updates a streamed miss makes room for at first (a short reply's; a longer one grows the array).</summary>
    private const int CapturedStart = 16;
    private readonly IDistributedCache _storage;
    private readonly CacheMode _mode;
    private readonly DistributedCacheEntryOptions _entryOptions;
    private readonly Action<bool>? _onLookup;
    /// <summary>The template field of the last key (<see cref="TemplateValues"/>); replaced whole, never changed, so readers on
    /// any thread see a complete array.</summary>
    private string[]? _lastTemplate;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The pipeline (fallback chain) it fronts.</param>
    /// <param name="storage">Where entries live.</param>
    /// <param name="mode">Read and write, refresh (write only) or off.</param>
    /// <param name="ttl">How long an entry lives.</param>
    /// <param name="chain">What identifies the provider chain beyond the options: per provider its name, model, output cap,
    /// temperature and endpoint (no secret). Enters the key.</param>
    /// <param name="onLookup">Hears every lookup: <c>true</c> for a hit, <c>false</c> for a miss (statistics).</param>
    public ResponseCachingChatClient(IChatClient innerClient, IDistributedCache storage, CacheMode mode, TimeSpan ttl,
        IReadOnlyList<string> chain, Action<bool>? onLookup = null)
        : base(innerClient, storage)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        _storage = storage;
        _mode = mode;
        _onLookup = onLookup;
        _entryOptions = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = ttl };
        CoalesceStreamingUpdates = false;
        CacheKeyAdditionalValues = [ResponseCache.FormatVersion, .. chain];
    }

    /// <summary>The mode this client was built with.</summary>
    public CacheMode Mode => _mode;

    /// <summary>The key a request maps to (exposed for tests and diagnostics).</summary>
    public string KeyFor(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var template = options?.AdditionalProperties?.TryGetValue(ResponseCache.TemplateVersionProperty, out var v) == true ? v?.ToString() : null;
        return ResponseCacheCodec.Key(messages, options, CacheKeyAdditionalValues ?? [], TemplateValues(template ?? ""));
    }

    /// <summary>The key's template field, <c>["template:" + <paramref name="template"/>]</c>: the last one made is kept, so the
    /// requests of a run (one template version) make no string and no array each.</summary>
    private string[] TemplateValues(string template)
    {
        var last = _lastTemplate;
        if (last is not null && last[0].AsSpan(TemplatePrefix.Length).SequenceEqual(template))
        {
            return last;
        }
        last = [TemplatePrefix + template];
        _lastTemplate = last;
        return last;
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<ChatResponseUpdate>?> ReadCacheStreamingAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await _storage.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } bytes ? ResponseCacheCodec.Deserialize(bytes) : null;
    }

    /// <inheritdoc />
    protected override async Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken) =>
        await ReadCacheStreamingAsync(key, cancellationToken).ConfigureAwait(false) is { Count: > 0 } updates ? updates.ToChatResponse() : null;

    /// <inheritdoc />
    protected override bool EnableCaching(IEnumerable<ChatMessage> messages, ChatOptions? options) => _mode != CacheMode.Off;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        if (!EnableCaching(list, options))
        {
            return await InnerClient.GetResponseAsync(list, ProviderOptions(options), cancellationToken).ConfigureAwait(false);
        }
        var key = KeyFor(list, options);
        if (_mode == CacheMode.ReadWrite && await ReadCacheStreamingAsync(key, cancellationToken).ConfigureAwait(false) is { Count: > 0 } cached)
        {
            _onLookup?.Invoke(true);
            var hit = Restore(cached).ToChatResponse();
            (hit.AdditionalProperties ??= [])[ResponseCache.HitProperty] = true;
            return hit;
        }
        _onLookup?.Invoke(false);
        var response = await InnerClient.GetResponseAsync(list, ProviderOptions(options), cancellationToken).ConfigureAwait(false);
        if (response.FinishReason == ChatFinishReason.Stop)
        {
            var updates = response.ToChatResponseUpdates();
            if (updates.Length > 0 && response.AdditionalProperties is { } properties)
            {
                var first = updates[0].AdditionalProperties ??= [];
                foreach (var (name, value) in properties)
                {
                    first[name] = value;
                }
            }
            await StoreAsync(key, updates, cancellationToken).ConfigureAwait(false);
        }
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        if (!EnableCaching(list, options))
        {
            await foreach (var update in InnerClient.GetStreamingResponseAsync(list, ProviderOptions(options), cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
            yield break;
        }
        var key = KeyFor(list, options);
        if (_mode == CacheMode.ReadWrite && await ReadCacheStreamingAsync(key, cancellationToken).ConfigureAwait(false) is { Count: > 0 } cached)
        {
            _onLookup?.Invoke(true);
            var replay = Restore(cached);
            (replay[0].AdditionalProperties ??= [])[ResponseCache.HitProperty] = true;
            foreach (var update in replay)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return update;
            }
            yield break;
        }
        _onLookup?.Invoke(false);
        // The updates are kept in a pooled array (grown by renting a larger one) until the entry is serialised: no list and
        // none of its growing arrays per stream. Given back cleared (no reply kept alive by the pool), however the stream ends.
        var captured = ArrayPool<ChatResponseUpdate>.Shared.Rent(CapturedStart);
        var count = 0;
        try
        {
            var restarted = false;
            ChatFinishReason? finish = null;
            await foreach (var update in InnerClient.GetStreamingResponseAsync(list, ProviderOptions(options), cancellationToken).ConfigureAwait(false))
            {
                restarted |= ResiliencePipeline.IsRestart(update);
                finish = update.FinishReason ?? finish;
                if (count == captured.Length)
                {
                    captured = Grow(captured, count);
                }
                captured[count++] = update;
                yield return update;
            }
            // Reached only when the caller read the whole stream and nothing failed.
            if (!restarted && finish == ChatFinishReason.Stop)
            {
                await StoreAsync(key, new ArraySegment<ChatResponseUpdate>(captured, 0, count), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<ChatResponseUpdate>.Shared.Return(captured, clearArray: true);
        }
    }

    /// <summary>A pooled array twice as long holding the first <paramref name="count"/> updates; the old one is given back cleared.</summary>
    private static ChatResponseUpdate[] Grow(ChatResponseUpdate[] captured, int count)
    {
        var larger = ArrayPool<ChatResponseUpdate>.Shared.Rent(count * 2);
        Array.Copy(captured, larger, count);
        ArrayPool<ChatResponseUpdate>.Shared.Return(captured, clearArray: true);
        return larger;
    }

    /// <summary>Stores a complete reply now, or, inside an open <see cref="ResponseCacheCommit"/>, once the caller accepted
    /// what it produced (serialised now: later changes to the updates do not reach the entry).</summary>
    private Task StoreAsync(string key, IReadOnlyList<ChatResponseUpdate> updates, CancellationToken cancellationToken)
    {
        var json = Serialize(updates);
        if (ResponseCacheCommit.Current is { } scope && scope.Defer(ct => _storage.SetAsync(key, json, _entryOptions, ct)))
        {
            return Task.CompletedTask;
        }
        // Write-behind (issue 19): readable here at once, committed with the others staged meanwhile; the request does not
        // wait for a commit of its own (unless too many wait already: then it writes and waits, as before).
        if (_storage is SqliteDistributedCache local && local.Stage(key, json, _entryOptions))
        {
            return Task.CompletedTask;
        }
        return _storage.SetAsync(key, json, _entryOptions, cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task WriteCacheStreamingAsync(string key, IReadOnlyList<ChatResponseUpdate> value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        await _storage.SetAsync(key, Serialize(value), _entryOptions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What is stored (<see cref="ResponseCacheCodec.SerializeReply"/>): text joined into chunks of about
    /// <see cref="ChunkChars"/> characters (so a replay is still a stream, without thousands of one-token updates); the
    /// other contents (usage, ...) kept in order; only the answering provider kept from the properties (headers, restart
    /// markers and per-run notes are not part of the reply). Written straight from the updates, without normalised copies.</summary>
    private static byte[] Serialize(IReadOnlyList<ChatResponseUpdate> updates) => ResponseCacheCodec.SerializeReply(updates, ChunkChars);

    /// <inheritdoc />
    protected override Task WriteCacheAsync(string key, ChatResponse value, CancellationToken cancellationToken) =>
        WriteCacheStreamingAsync(key, value?.ToChatResponseUpdates() ?? throw new ArgumentNullException(nameof(value)), cancellationToken);

    /// <summary>The options sent on: without our template-version property (providers must not see it).</summary>
    private static ChatOptions? ProviderOptions(ChatOptions? options)
    {
        if (options?.AdditionalProperties?.ContainsKey(ResponseCache.TemplateVersionProperty) != true)
        {
            return options;
        }
        // The clone has its own copy of the properties (ChatOptions.Clone copies the dictionary); the caller's are left as they
        // were. None left (a tagged request's usual case): none at all, so the layers below that copy the options copy no
        // dictionary.
        var clone = options.Clone();
        clone.AdditionalProperties!.Remove(ResponseCache.TemplateVersionProperty);
        if (clone.AdditionalProperties.Count == 0)
        {
            clone.AdditionalProperties = null;
        }
        return clone;
    }

    /// <summary>Turns stored JSON values of known properties back into their types (the provider name is a string again).</summary>
    private static List<ChatResponseUpdate> Restore(IReadOnlyList<ChatResponseUpdate> cached)
    {
        var updates = cached.ToList();
        foreach (var update in updates)
        {
            if (update.AdditionalProperties?.TryGetValue(ResiliencePipeline.ProviderProperty, out var p) == true && p is JsonElement { ValueKind: JsonValueKind.String } e)
            {
                update.AdditionalProperties[ResiliencePipeline.ProviderProperty] = e.GetString();
            }
        }
        return updates;
    }
}
