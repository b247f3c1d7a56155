using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;
using Microsoft.Extensions.AI;
using SpecSynth.Budget;

namespace SpecSynth.Middleware;

/// <summary>
/// One stream through the observe-only layers of <see cref="StreamGuards"/>: walks the inner stream once and calls each
/// layer's hooks in the order the layers' own iterators would (one enumerator and one <c>MoveNextAsync</c> hop per update
/// for the whole run of layers, not one each; and no hand-written failure loop per layer, since C# cannot <c>yield</c>
/// inside a <c>try</c> with a <c>catch</c> but a <c>MoveNextAsync</c> can catch).
/// </summary>
/// <remarks>
/// <para>Start, outermost first: the budget's reservation (it may lower the output cap: the layers below see its messages and
/// options), the breaker's entry (it may refuse), the rate limits' wait. A layer that refuses or fails to start leaves the
/// ones above it to undo theirs, as a failure (the breaker hears the exception, the budget releases its reservation).</para>
/// <para>Each update, innermost first: the rate limits adapt to its headers and add up its usage, the budget adds up its usage.
/// A failure of the inner stream: the context-length rejection is turned into <see cref="ContextTooLongException"/>, the rate
/// limits release the request and pause on a 429; then, as for the end of the stream and for a caller that stops reading
/// early (abandonment), innermost first: the inner stream is disposed, the rate limits release the request when no reply
/// headers told the server tracker about it (and correct the token bucket from the usage, at the end), the breaker counts the
/// answer, the failure or the abandonment, the budget settles the reservation (to the reported cost at the end, else to
/// nothing). An exception of one of these steps reaches the steps above it as the stream's failure, as it would through the
/// layers' own iterators, and the caller gets the last one.</para>
/// </remarks>
internal sealed class ObservedStream : IAsyncEnumerable<ChatResponseUpdate>, IAsyncEnumerator<ChatResponseUpdate>, IValueTaskSource<bool>
{
    private readonly StreamGuards _guards;
    private readonly IEnumerable<ChatMessage> _messages;
    private readonly ChatOptions? _options;
    private readonly IAsyncEnumerable<ChatResponseUpdate>? _source;
    private CancellationToken _token;
    private CancellationTokenSource? _linked;
    private int _enumerated;
    private Phase _phase;
    private IAsyncEnumerator<ChatResponseUpdate>? _updates;
    private ManualResetValueTaskSourceCore<bool> _core;
    private ConfiguredValueTaskAwaitable<bool>.ConfiguredValueTaskAwaiter _waiting;
    private Action? _onMoved;

    private BudgetChatClient.StreamHold _hold;
    private bool _budgetHeld;
    private bool _probe;
    private bool _breakerEntered;
    private RateLimitChatClient.StreamTicket _ticket;
    private bool _ticketHeld;

    /// <summary>A stream of <paramref name="guards"/>' inner client, started on the first <see cref="MoveNextAsync"/>.</summary>
    public ObservedStream(StreamGuards guards, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        _guards = guards;
        _messages = messages;
        _options = options;
        _token = cancellationToken;
    }

    /// <summary>A stream of <paramref name="source"/> (already asked for: no layer of <paramref name="guards"/> starts before it).</summary>
    public ObservedStream(StreamGuards guards, IAsyncEnumerable<ChatResponseUpdate> source, CancellationToken cancellationToken)
        : this(guards, [], null, cancellationToken) => _source = source;

    private enum Phase
    {
        Ready,
        Running,
        Done,
    }

    public ChatResponseUpdate Current { get; private set; } = null!;

    /// <remarks>As a compiler iterator: the first enumerator is this object, later ones start afresh; a second token is linked
    /// with the one the stream was asked with.</remarks>
    public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var stream = Interlocked.Exchange(ref _enumerated, 1) == 0 ? this
            : _source is { } source ? new ObservedStream(_guards, source, _token) : new ObservedStream(_guards, _messages, _options, _token);
        stream._enumerated = 1;
        if (cancellationToken.CanBeCanceled && cancellationToken != stream._token)
        {
            if (stream._token.CanBeCanceled)
            {
                stream._linked = CancellationTokenSource.CreateLinkedTokenSource(stream._token, cancellationToken);
                stream._token = stream._linked.Token;
            }
            else
            {
                stream._token = cancellationToken;
            }
        }
        return stream;
    }

    /// <remarks>An update the inner stream has at once costs no task; one it waits for is waited for by this object (an
    /// <see cref="IValueTaskSource{TResult}"/>, as a compiler iterator is): no state machine box per update. The start, the
    /// end and a failure (once per stream) go through async methods.</remarks>
    public ValueTask<bool> MoveNextAsync()
    {
        if (_phase == Phase.Ready)
        {
            _phase = Phase.Running;
            var started = StartAsync();
            if (!started.IsCompletedSuccessfully)
            {
                return StartedSlowAsync(started);
            }
            started.GetAwaiter().GetResult();
        }
        else if (_phase == Phase.Done)
        {
            return new ValueTask<bool>(false);
        }
        ValueTask<bool> next;
        try
        {
            next = _updates!.MoveNextAsync();
        }
        catch (Exception ex)
        {
            return FailAsync(ex);
        }
        if (next.IsCompletedSuccessfully)
        {
            return Moved(next.Result);
        }
        if (next.IsCompleted)
        {
            return MovedSlowAsync(next);
        }
        _waiting = next.ConfigureAwait(false).GetAwaiter();
        _core.Reset();
        _waiting.OnCompleted(_onMoved ??= OnMoved);
        return new ValueTask<bool>(this, _core.Version);
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>The inner stream's step that was waited for is done: its outcome completes this object's.</summary>
    private void OnMoved()
    {
        var waiting = _waiting;
        _waiting = default;
        ValueTask<bool> outcome;
        try
        {
            outcome = Moved(waiting.GetResult());
        }
        catch (Exception ex)
        {
            outcome = FailAsync(ex);
        }
        if (!outcome.IsCompleted)
        {
            var awaiter = outcome.ConfigureAwait(false).GetAwaiter();
            awaiter.OnCompleted(() => Complete(awaiter));
            return;
        }
        Complete(outcome.ConfigureAwait(false).GetAwaiter());
    }

    private void Complete(ConfiguredValueTaskAwaitable<bool>.ConfiguredValueTaskAwaiter outcome)
    {
        bool more;
        try
        {
            more = outcome.GetResult();
        }
        catch (Exception ex)
        {
            _core.SetException(ex);
            return;
        }
        _core.SetResult(more);
    }

    /// <summary>The first step when a layer's start waits (the budget's ledger, the rate limits): the step after it.</summary>
    private async ValueTask<bool> StartedSlowAsync(ValueTask started)
    {
        await started.ConfigureAwait(false);
        return await MoveNextAsync().ConfigureAwait(false);
    }

    /// <summary>An inner step that completed at once with an exception.</summary>
    private async ValueTask<bool> MovedSlowAsync(ValueTask<bool> next)
    {
        bool more;
        try
        {
            more = await next.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return await FailAsync(ex).ConfigureAwait(false);
        }
        return await Moved(more).ConfigureAwait(false);
    }

    /// <summary>The inner stream moved: an update is observed innermost first, the end closes the stream.</summary>
    private ValueTask<bool> Moved(bool more)
    {
        if (!more)
        {
            return EndAsync();
        }
        var update = _updates!.Current;
        try
        {
            if (_ticketHeld)
            {
                _guards.RateLimits!.Observe(ref _ticket, update);
            }
            if (_budgetHeld)
            {
                BudgetChatClient.Observe(ref _hold, update);
            }
        }
        catch (Exception ex)
        {
            return CloseFailedAsync(ex);
        }
        Current = update;
        return new ValueTask<bool>(true);
    }

    private async ValueTask<bool> EndAsync()
    {
        Rethrow(await CloseAsync(null, abandoned: false).ConfigureAwait(false));
        return false;
    }

    /// <summary>The inner stream failed: the layers right above it see the failure before it is disposed.</summary>
    private ValueTask<bool> FailAsync(Exception ex)
    {
        var failure = ex;
        try
        {
            if (_guards.ContextLength is { } contextLength)
            {
                failure = contextLength.Translate(ex);
            }
            if (_ticketHeld)
            {
                _guards.RateLimits!.Failed(_ticket, failure);
            }
        }
        catch (Exception replaced)
        {
            failure = replaced;
        }
        return CloseFailedAsync(failure);
    }

    private async ValueTask<bool> CloseFailedAsync(Exception failure)
    {
        Rethrow(await CloseAsync(failure, abandoned: false).ConfigureAwait(false));
        return false;
    }

    /// <summary>The caller stops reading: before the end, the stream is abandoned (released, not counted).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_phase != Phase.Running)
        {
            _phase = Phase.Done;
            DisposeLinked();
            return;
        }
        Rethrow(await CloseAsync(null, abandoned: true).ConfigureAwait(false));
    }

    private async ValueTask StartAsync()
    {
        var messages = _messages;
        var options = _options;
        var guards = _guards;
        if (guards.Budget is { } budget)
        {
            try
            {
                _hold = await budget.ReserveStreamAsync(messages, options, _token).ConfigureAwait(false);
            }
            catch
            {
                _phase = Phase.Done;
                DisposeLinked();
                throw;
            }
            _budgetHeld = true;
            messages = _hold.Messages;
            options = _hold.Options;
        }
        try
        {
            if (guards.Breaker is { } breaker)
            {
                _probe = breaker.Enter();
                _breakerEntered = true;
            }
            if (guards.RateLimits is { } rateLimits)
            {
                _ticket = await rateLimits.AcquireStreamAsync(messages, options, _token).ConfigureAwait(false);
                _ticketHeld = true;
            }
            _updates = (_source ?? guards.Inner.GetStreamingResponseAsync(messages, options, _token)).GetAsyncEnumerator(_token);
        }
        catch (Exception ex)
        {
            var thrown = await CloseAsync(ex, abandoned: false).ConfigureAwait(false);
            if (ReferenceEquals(thrown, ex))
            {
                throw;
            }
            ExceptionDispatchInfo.Throw(thrown!);
        }
    }

    /// <summary>
    /// Ends the stream (<paramref name="failure"/>: failed; <paramref name="abandoned"/>: the caller stopped; else completed),
    /// innermost first; returns the exception for the caller (<paramref name="failure"/>, or one a step threw), if any.
    /// </summary>
    private async ValueTask<Exception?> CloseAsync(Exception? failure, bool abandoned)
    {
        _phase = Phase.Done;
        var thrown = failure;
        if (_updates is { } updates)
        {
            _updates = null;
            try
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        }
        var guards = _guards;
        if (_ticketHeld)
        {
            _ticketHeld = false;
            try
            {
                guards.RateLimits!.Release(_ticket);
                if (thrown is null && !abandoned)
                {
                    guards.RateLimits.Correct(_ticket);
                }
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        }
        if (_breakerEntered)
        {
            _breakerEntered = false;
            try
            {
                if (abandoned)
                {
                    guards.Breaker!.Abandoned(_probe);
                }
                else if (thrown is null)
                {
                    guards.Breaker!.Answered(_probe);
                }
                else
                {
                    guards.Breaker!.Failed(_probe, thrown);
                }
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        }
        if (_budgetHeld)
        {
            _budgetHeld = false;
            long actual = 0;
            try
            {
                if (thrown is null && !abandoned)
                {
                    actual = guards.Budget!.Actual(_hold);
                }
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
            try
            {
                await guards.Budget!.SettleAsync(_hold, actual).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
        }
        DisposeLinked();
        return thrown;
    }

    private static void Rethrow(Exception? thrown)
    {
        if (thrown is not null)
        {
            ExceptionDispatchInfo.Throw(thrown);
        }
    }

    private void DisposeLinked()
    {
        _linked?.Dispose();
        _linked = null;
    }
}
