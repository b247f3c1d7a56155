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

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var probe = Enter();
        var updates = StreamFailures.Observe(base.GetStreamingResponseAsync(messages, options, cancellationToken),
            ex => Failed(probe, ex), cancellationToken);
        await foreach (var update in updates.ConfigureAwait(false))
        {
            yield return update;
        }
        Answered(probe);
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
