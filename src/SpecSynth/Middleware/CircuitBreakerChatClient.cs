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
    : StreamObservingChatClient(inner)
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

    /// <remarks>Its streams are driven with the rate limits right below (<see cref="ObservedStream"/>). A stream the caller
    /// stops reading before its end is neither an answer nor a failure; if it was the probe, the next call may probe.</remarks>
    private protected override StreamGuards Guard(IChatClient inner) => StreamGuards.Over(this, inner);

    /// <summary>Lets a call in, or refuses it while the circuit is open; whether it is the probe.</summary>
    internal bool Enter()
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

    /// <summary>The call was answered.</summary>
    internal void Answered(bool probe)
    {
        if (circuit.OnAnswered(probe))
        {
            observer.OnCircuitClosed(provider);
        }
    }

    /// <summary>The caller stopped reading the stream before its end.</summary>
    internal void Abandoned(bool probe) => circuit.OnAbandoned(probe);

    /// <summary>The call failed with <paramref name="ex"/>: only outages count.</summary>
    internal void Failed(bool probe, Exception ex)
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
