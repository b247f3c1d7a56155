using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Providers;

namespace SpecSynth.Middleware;

/// <summary>
/// Retries transient failures (<see cref="ProviderException.IsRetryable"/>) of one provider with exponential backoff
/// and full jitter, never earlier than the server's retry-after. A stream that fails after updates were forwarded is
/// restarted as a whole: the observer hears <see cref="IResilienceObserver.OnStreamRestart"/> and the first update of
/// the new attempt carries <see cref="ResiliencePipeline.RestartProperty"/>. A 429 does not use up an attempt (the
/// server is up and asked us to slow down): a call waits out 429s while their waits add up to at most
/// <see cref="RetryOptions.MaxServerDelay"/> (unless <see cref="RetryOptions.MaxAttempts"/> is 1: no retries at all).
/// </summary>
internal sealed class RetryChatClient(IChatClient inner, string provider, RetryOptions retry, TimeProvider time,
    IResilienceObserver observer, Random random) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var tries = new Tries();
        while (true)
        {
            ProviderException failure;
            using var attempt = Attempt(tries);
            try
            {
                return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            }
            catch (ProviderException ex) when (ex.IsRetryable)
            {
                failure = ex;
                Telemetry.Instruments.Fail(attempt, ex);
            }
            catch (Exception ex) when (Failed(attempt, ex))
            {
                throw;
            }
            attempt?.Dispose();
            var delay = NextDelay(tries, failure);
            await WaitAsync(tries.Retries, delay, failure, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var restart = false;
        var tries = new Tries();
        while (true)
        {
            ProviderException? failure = null;
            var yielded = false;
            // The attempt's span is the parent of the chat span the inner layers start on the first step.
            using var attempt = Attempt(tries);
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
                    catch (ProviderException ex) when (ex.IsRetryable)
                    {
                        failure = ex;
                        Telemetry.Instruments.Fail(attempt, ex);
                        break;
                    }
                    catch (Exception ex) when (Failed(attempt, ex))
                    {
                        throw;
                    }
                    var update = updates.Current;
                    if (restart)
                    {
                        ResiliencePipeline.MarkRestart(update);
                        restart = false;
                    }
                    yielded = true;
                    yield return update;
                }
            }
            attempt?.Dispose();
            if (failure is null)
            {
                yield break;
            }
            var delay = NextDelay(tries, failure);
            if (yielded)
            {
                observer.OnStreamRestart(provider, tries.Retries, failure);
                restart = true;
            }
            await WaitAsync(tries.Retries, delay, failure, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The span of one attempt on this provider (attempt 2 and later are retries; another provider's attempts
    /// after a fallback carry its name); <c>null</c> when nobody listens.</summary>
    private System.Diagnostics.Activity? Attempt(Tries tries)
    {
        var activity = Telemetry.Instruments.Start("specsynth.attempt");
        activity?.SetTag("specsynth.provider", provider);
        activity?.SetTag("specsynth.attempt", tries.Retries + 1);
        return activity;
    }

    /// <summary>Marks <paramref name="attempt"/> failed; <c>false</c>, so the exception goes on.</summary>
    private static bool Failed(System.Diagnostics.Activity? attempt, Exception ex)
    {
        Telemetry.Instruments.Fail(attempt, ex);
        return false;
    }

    private async Task WaitAsync(int attempt, TimeSpan delay, ProviderException failure, CancellationToken cancellationToken)
    {
        observer.OnRetry(provider, attempt, delay, failure);
        await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wait before the next try after <paramref name="failure"/>, or the exception to give up with: a 429
    /// is waited out (its retry-after, else the backoff) without using up an attempt, within <see cref="RetryOptions.MaxServerDelay"/> in all.</summary>
    internal TimeSpan NextDelay(Tries tries, ProviderException failure)
    {
        tries.Retries++;
        if (failure.StatusCode != 429 || retry.MaxAttempts == 1)
        {
            return NextDelay(++tries.Attempts, failure);
        }
        tries.RateLimited++;
        var wait = failure.RetryAfter ?? Backoff(tries.RateLimited);
        if (wait > retry.MaxServerDelay)
        {
            throw GiveUp(failure, $"the server asked to wait {wait.TotalSeconds:0.#} s, longer than the {retry.MaxServerDelay.TotalSeconds:0.#} s we wait");
        }
        if (tries.RateLimitWaited + wait > retry.MaxServerDelay || tries.RateLimited > MaxRateLimitedTries)
        {
            throw GiveUp(failure, $"still rate limited after waiting {tries.RateLimitWaited.TotalSeconds:0.#} s; "
                + $"[retry] max_server_delay is {retry.MaxServerDelay.TotalSeconds:0.#} s");
        }
        tries.RateLimitWaited += wait;
        return wait;
    }

    /// <summary>A bound on 429s waited out by one call, should the server ask for no wait at all.</summary>
    private const int MaxRateLimitedTries = 100;

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1, or the exception to give up with.</summary>
    internal TimeSpan NextDelay(int attempt, ProviderException failure)
    {
        if (failure.RetryAfter is { } asked && asked > retry.MaxServerDelay)
        {
            throw GiveUp(failure, $"the server asked to wait {asked.TotalSeconds:0.#} s, longer than the {retry.MaxServerDelay.TotalSeconds:0.#} s we wait");
        }
        if (attempt >= retry.MaxAttempts)
        {
            throw GiveUp(failure, $"gave up after {attempt} attempt{(attempt == 1 ? "" : "s")}");
        }
        var delay = Backoff(attempt);
        return failure.RetryAfter is { } server && server > delay ? server : delay;
    }

    /// <summary>Our own backoff before try <paramref name="attempt"/> + 1: exponential, capped, with full jitter.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var backoff = retry.InitialDelay.TotalMilliseconds * Math.Pow(retry.ExponentialBase, attempt - 1);
        backoff = Math.Min(backoff, retry.MaxDelay.TotalMilliseconds);
        if (retry.Jitter)
        {
            backoff *= random.NextDouble();
        }
        return TimeSpan.FromMilliseconds(backoff);
    }

    /// <summary>What one call has tried so far.</summary>
    internal sealed class Tries
    {
        /// <summary>Retries of any kind (numbers the observer's events).</summary>
        public int Retries { get; set; }

        /// <summary>Failed attempts that count toward <see cref="RetryOptions.MaxAttempts"/> (all but 429s).</summary>
        public int Attempts { get; set; }

        /// <summary>429s waited out.</summary>
        public int RateLimited { get; set; }

        /// <summary>The time spent waiting out 429s.</summary>
        public TimeSpan RateLimitWaited { get; set; }
    }

    private static ProviderException GiveUp(ProviderException failure, string why) =>
        new(failure.Kind, failure.Provider, $"{failure.Message} ({why})", failure.StatusCode, failure.IsRetryable,
            failure.RetryAfter, failure);
}
