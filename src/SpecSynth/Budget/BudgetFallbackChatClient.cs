using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Middleware;

namespace SpecSynth.Budget;

/// <summary>
/// The outermost client of a run with budgets: owns the <see cref="BudgetLedger"/> (disposed with it) and, with
/// <c>[routing] on_budget_exhausted</c>, sends a request that a budget refused to the free local provider instead of failing
/// (with a warning each time). The local client is set up on first use. A stream that had already forwarded updates when
/// the refusal came (a continuation round) is replayed from the local provider as a restart
/// (<see cref="ResiliencePipeline.RestartProperty"/>).
/// </summary>
internal sealed class BudgetFallbackChatClient : DelegatingChatClient
{
    private readonly BudgetLedger _ledger;
    private readonly string? _localName;
    private readonly Func<CancellationToken, Task<IChatClient>>? _createLocal;
    private readonly Action<string>? _onWarning;
    private readonly SemaphoreSlim _creating = new(1, 1);
    private IChatClient? _local;

    /// <param name="inner">The run's client (cache and pipeline).</param>
    /// <param name="ledger">The budgets; owned.</param>
    /// <param name="localName">The local route for messages (<c>ollama:qwen2.5-coder:7b</c>), or <c>null</c> for none.</param>
    /// <param name="createLocal">Sets up the local provider's client (its own resilience pipeline), or <c>null</c>.</param>
    /// <param name="onWarning">Hears the warning of every rerouted request.</param>
    public BudgetFallbackChatClient(IChatClient inner, BudgetLedger ledger, string? localName,
        Func<CancellationToken, Task<IChatClient>>? createLocal, Action<string>? onWarning) : base(inner)
    {
        _ledger = ledger;
        _localName = localName;
        _createLocal = createLocal;
        _onWarning = onWarning;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        try
        {
            return await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        }
        catch (SpecSynthException ex) when (ex.Kind == ErrorKind.BudgetExceeded && _createLocal is not null)
        {
            var local = await LocalAsync(ex, cancellationToken).ConfigureAwait(false);
            return await local.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <remarks>Without a local route a refusal has nowhere to go: the stream is the inner client's own (no step of this
    /// layer per update).</remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _createLocal is null
            ? base.GetStreamingResponseAsync(messages, options, cancellationToken)
            : WithLocalRouteAsync(messages, options, cancellationToken);

    private async IAsyncEnumerable<ChatResponseUpdate> WithLocalRouteAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var forwarded = false;
        SpecSynthException? refused = null;
        var updates = base.GetStreamingResponseAsync(list, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (SpecSynthException ex) when (ex.Kind == ErrorKind.BudgetExceeded && _createLocal is not null)
                {
                    refused = ex;
                    break;
                }
                forwarded = true;
                yield return updates.Current;
            }
        }
        if (refused is null)
        {
            yield break;
        }
        var local = await LocalAsync(refused, cancellationToken).ConfigureAwait(false);
        var first = true;
        await foreach (var update in local.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            if (first && forwarded)
            {
                ResiliencePipeline.MarkRestart(update);
            }
            first = false;
            yield return update;
        }
    }

    private async Task<IChatClient> LocalAsync(SpecSynthException refusal, CancellationToken cancellationToken)
    {
        await _creating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_local is null)
            {
                try
                {
                    _local = await _createLocal!(cancellationToken).ConfigureAwait(false);
                }
                catch (SpecSynthException ex)
                {
                    throw new SpecSynthException(ErrorKind.BudgetExceeded,
                        $"{refusal.Message} The local model of [routing] on_budget_exhausted ({_localName}) cannot be used: {ex.Message}", refusal);
                }
            }
        }
        finally
        {
            _creating.Release();
        }
        _onWarning?.Invoke($"{FirstSentence(refusal.Message)}: sending this request to {_localName} ([routing] on_budget_exhausted) instead; the local model costs nothing");
        return _local;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _local?.Dispose();
            _ledger.Dispose();
            _creating.Dispose();
        }
        base.Dispose(disposing);
    }
}
