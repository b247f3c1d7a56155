namespace SpecSynth.Caching;

/// <summary>
/// Holds back the response cache's writes until the caller accepted what the replies produced. While a commit scope is
/// open on the current async flow (<see cref="Begin"/>), <see cref="ResponseCachingChatClient"/> hands each complete reply
/// to it instead of storing it; <see cref="CommitAsync"/> stores them (files written, or planned in a dry run; a review
/// parsed), and disposing an uncommitted scope drops them, so a reply refused as unsafe or unusable is never replayed.
/// A scope opened inside another hands its replies to the outer one on commit. Thread-safe.
/// </summary>
internal sealed class ResponseCacheCommit : IDisposable
{
    private static readonly AsyncLocal<ResponseCacheCommit?> Ambient = new();
    private readonly Lock _gate = new();
    private readonly ResponseCacheCommit? _outer;
    private List<Func<CancellationToken, Task>>? _pending = [];

    private ResponseCacheCommit(ResponseCacheCommit? outer) => _outer = outer;

    /// <summary>The scope open on this async flow, or <c>null</c> (replies are stored at once).</summary>
    public static ResponseCacheCommit? Current => Ambient.Value;

    /// <summary>How many replies wait for the commit.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending?.Count ?? 0;
            }
        }
    }

    /// <summary>Opens a scope on the current async flow (and the calls it makes).</summary>
    public static ResponseCacheCommit Begin()
    {
        var scope = new ResponseCacheCommit(Ambient.Value);
        Ambient.Value = scope;
        return scope;
    }

    /// <summary>Keeps a store until the commit; returns <c>false</c> when the scope is already closed (nothing kept).</summary>
    internal bool Defer(Func<CancellationToken, Task> store)
    {
        lock (_gate)
        {
            _pending?.Add(store);
            return _pending is not null;
        }
    }

    /// <summary>Stores every reply held back (or hands them to the outer scope) and closes the scope. A store that fails
    /// goes to <paramref name="onWarning"/> and the others go on: what was accepted stays accepted.</summary>
    /// <param name="onWarning">Hears a store that failed; <c>null</c> ignores it.</param>
    /// <param name="cancellationToken">Cancels the remaining stores.</param>
    public async Task CommitAsync(Action<string>? onWarning = null, CancellationToken cancellationToken = default)
    {
        List<Func<CancellationToken, Task>>? pending;
        lock (_gate)
        {
            (pending, _pending) = (_pending, null);
        }
        if (pending is null)
        {
            return;
        }
        foreach (var store in pending)
        {
            if (_outer is not null && _outer.Defer(store))
            {
                continue;
            }
            try
            {
                await store(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                onWarning?.Invoke($"the response cache could not store a reply ({ex.GetType().Name}: {ex.Message}); the next run asks the provider again");
            }
        }
    }

    /// <summary>Drops what was not committed and closes the scope.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _pending = null;
        }
        if (Ambient.Value == this)
        {
            Ambient.Value = _outer;
        }
    }
}
