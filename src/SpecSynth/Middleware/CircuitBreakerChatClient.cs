using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>
/// Rejects calls without a request while the provider's circuit is open; feeds every attempt's outcome to it. Only
/// outages count (5xx, timeouts, connection failures, cut streams): a 429 is the server working as designed (the rate
/// limiter slows the key down), so it neither counts toward opening the circuit nor resets the count; a probe answered
/// with 429 closes it (the server is up).
/// </summary>
internal sealed class CircuitBreakerChatClient(IChatClient inner, string provider, CircuitState circuit, IResilienceObserver observer)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var probe = Enter();
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            Answered(probe);
            return response;
        }
        catch (Exception ex)
        {
            Failed(probe, ex);
            throw;
        }
    }

    /// <remarks>One iterator per stream that sees the inner stream's failures itself (no <see cref="StreamFailures.Observe{T}"/>
    /// iterator and closure inside it). A stream the caller stops reading before its end is neither an answer nor a failure;
    /// if it was the probe, the next call may probe.</remarks>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var probe = Enter();
        var settled = false;
        try
        {
            var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
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
                    catch (Exception ex)
                    {
                        settled = true;
                        Failed(probe, ex);
                        throw;
                    }
                    yield return updates.Current;
                }
            }
            settled = true;
            Answered(probe);
        }
        finally
        {
            if (!settled)
            {
                circuit.OnAbandoned(probe);
            }
        }
    }

    private bool Enter()
    {
        var (allowed, probe, openFor) = circuit.TryEnter();
        if (!allowed)
        {
            throw CircuitState.OpenException(provider, openFor);
        }
        if (probe)
        {
            observer.OnCircuitHalfOpen(provider);
        }
        return probe;
    }

    private void Answered(bool probe)
    {
        if (circuit.OnAnswered(probe))
        {
            observer.OnCircuitClosed(provider);
        }
    }

    private void Failed(bool probe, Exception ex)
    {
        if (ex is ProviderException { StatusCode: 429 })
        {
            if (probe)
            {
                Answered(probe);
            }
            else
            {
                circuit.OnAbandoned(probe);
            }
        }
        else if (ex is ProviderException { IsRetryable: true } transient)
        {
            if (circuit.OnTransientFailure(probe))
            {
                observer.OnCircuitOpened(provider, circuit.Options.BreakDuration, transient);
            }
        }
        else if (ex is SpecSynthException)
        {
            Answered(probe);
        }
        else
        {
            circuit.OnAbandoned(probe);
        }
    }
}
